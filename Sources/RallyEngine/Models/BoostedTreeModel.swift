import Foundation
import RallyTrees

/// rally's trees as XGBoost's JSON model, which `XGBoosterLoadModelFromBuffer` reads: how the
/// trees ``HistogramTrees`` grows reach XGBoost, which then saves, explains and ranks them.
extension BoostedTree {
    /// The tree as an object of XGBoost's JSON model (`trees[id]`).
    func xgboostJSON(id: Int, features: Int) -> JSONValue {
        func numbers(_ v: [Float]) -> JSONValue { .array(v.map { .number(Double($0)) }) }
        func integers<T: BinaryInteger>(_ v: [T]) -> JSONValue { .array(v.map { .integer(Int($0)) }) }
        return .object([
            ("base_weights", numbers(baseWeight)),
            ("categories", .array([])), ("categories_nodes", .array([])),
            ("categories_segments", .array([])), ("categories_sizes", .array([])),
            ("default_left", integers(defaultLeft.map { $0 ? 1 : 0 })),
            ("id", .integer(id)),
            ("left_children", integers(left)),
            ("loss_changes", numbers(lossChange)),
            ("parents", integers(parent.map { $0 < 0 ? Int64(Int32.max) : Int64($0) })),
            ("right_children", integers(right)),
            ("split_conditions", numbers(split)),
            ("split_indices", integers(feature)),
            ("split_type", integers([Int](repeating: 0, count: count))),
            ("sum_hessian", numbers(sumHessian)),
            ("tree_param", .object([("num_deleted", .string("0")), ("num_feature", .string(String(features))),
                                    ("num_nodes", .string(String(count))), ("size_leaf_vector", .string("0"))])),
        ])
    }

    /// XGBoost's JSON model (version 1.7, `gbtree`, `binary:logistic`, base score 0.5) of
    /// `trees` fitted on `features` features, which `XGBoosterLoadModelFromBuffer` reads.
    static func xgboostModel(_ trees: [BoostedTree], features: Int, scalePositiveWeight: Double) -> Data {
        let model: JSONValue = .object([
            ("learner", .object([
                ("attributes", .object([])),
                ("feature_names", .array([])), ("feature_types", .array([])),
                ("gradient_booster", .object([
                    ("model", .object([
                        ("gbtree_model_param", .object([("num_parallel_tree", .string("1")), ("num_trees", .string(String(trees.count))),
                                                        ("size_leaf_vector", .string("0"))])),
                        ("tree_info", .array(trees.map { _ in .integer(0) })),
                        ("trees", .array(trees.enumerated().map { $1.xgboostJSON(id: $0, features: features) })),
                    ])),
                    ("name", .string("gbtree")),
                ])),
                ("learner_model_param", .object([("base_score", .string("5E-1")), ("boost_from_average", .string("1")),
                                                 ("num_class", .string("0")), ("num_feature", .string(String(features))),
                                                 ("num_target", .string("1"))])),
                ("objective", .object([("name", .string("binary:logistic")),
                                       ("reg_loss_param", .object([("scale_pos_weight", .string(String(scalePositiveWeight)))]))])),
            ])),
            ("version", .array([.integer(1), .integer(7), .integer(4)])),
        ])
        return Data(model.text().utf8)
    }
}
