import Foundation

/// One regression tree of a boosted ensemble, in XGBoost's layout (its `RegTree`): node 0 is
/// the root; a split's children are made together, the right one just after the left; a leaf
/// has no children and keeps its value (learning rate applied) where a split keeps its
/// threshold. A row goes left when its value is below the threshold, and to the
/// `defaultLeft` side when the value is missing.
///
/// It holds what XGBoost's JSON model holds for a numeric tree, so that the trees rally's
/// trainer grows (``HistogramTrees``) are saved, explained and predicted by XGBoost itself.
struct BoostedTree: Sendable, Equatable {
    var left: [Int32] = [-1]
    var right: [Int32] = [-1]
    var parent: [Int32] = [-1]
    var feature: [Int32] = [0]
    /// A split's threshold, or a leaf's value.
    var split: [Float] = [0]
    var defaultLeft: [Bool] = [false]
    /// A split's loss reduction (0 for leaves).
    var lossChange: [Float] = [0]
    /// The hessian sum of the node's rows (its cover).
    var sumHessian: [Float] = [0]
    /// A split's weight before the learning rate; a leaf's value.
    var baseWeight: [Float] = [0]

    /// Number of nodes.
    var count: Int { left.count }

    /// Turns leaf `node` into a split with two new leaf children (XGBoost's `ExpandNode`);
    /// returns the left child's index.
    mutating func expand(_ node: Int, feature f: Int, threshold: Float, defaultLeft missingLeft: Bool, baseWeight weight: Float,
                         leftValue: Float, rightValue: Float, lossChange loss: Float,
                         hessians: (node: Float, left: Float, right: Float)) -> Int {
        let l = count
        for (value, hessian) in [(leftValue, hessians.left), (rightValue, hessians.right)] {
            left.append(-1); right.append(-1); parent.append(Int32(node)); feature.append(0)
            split.append(value); defaultLeft.append(false); lossChange.append(0)
            sumHessian.append(hessian); baseWeight.append(value)
        }
        left[node] = Int32(l)
        right[node] = Int32(l + 1)
        feature[node] = Int32(f)
        split[node] = threshold
        defaultLeft[node] = missingLeft
        lossChange[node] = loss
        sumHessian[node] = hessians.node
        baseWeight[node] = weight
        return l
    }

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
