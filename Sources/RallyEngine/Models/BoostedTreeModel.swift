import Foundation
import RallyTrees

/// rally's trees as an XGBoost 1.7 model in Universal Binary JSON, the form XGBoost saves with
/// `{"format": "ubj"}` and `XGBoosterLoadModelFromBuffer` reads: how the trees
/// ``HistogramTrees`` grows reach XGBoost, which then saves, explains and ranks them. Numbers
/// travel as their bits (typed arrays of big-endian `Float` and `Int32`, as XGBoost writes its
/// own trees), so nothing is rounded on the way.
extension BoostedTree {
    /// The model (`gbtree`, `binary:logistic`, base score 0.5) of `trees` fitted on `features`
    /// features.
    static func xgboostModel(_ trees: [BoostedTree], features: Int, scalePositiveWeight: Double) -> Data {
        var w = ModelWriter()
        w.bytes.reserveCapacity(1024 + trees.reduce(0) { $0 + 700 + 40 * $1.count })  // about a tree's typed arrays and keys
        w.object {
            $0.key("learner")
            $0.object {
                $0.key("attributes"); $0.object { _ in }
                $0.key("feature_names"); $0.emptyArray()
                $0.key("feature_types"); $0.emptyArray()
                $0.key("gradient_booster")
                $0.object {
                    $0.key("model")
                    $0.object {
                        $0.key("gbtree_model_param")
                        $0.object {
                            $0.key("num_parallel_tree"); $0.string("1")
                            $0.key("num_trees"); $0.string(String(trees.count))
                            $0.key("size_leaf_vector"); $0.string("0")
                        }
                        $0.key("tree_info"); $0.array(trees.count) { w, _ in w.integer(0) }
                        $0.key("trees")
                        $0.array(trees.count) { w, i in trees[i].write(id: i, features: features, into: &w) }
                    }
                    $0.key("name"); $0.string("gbtree")
                }
                $0.key("learner_model_param")
                $0.object {
                    $0.key("base_score"); $0.string("5E-1")
                    $0.key("boost_from_average"); $0.string("1")
                    $0.key("num_class"); $0.string("0")
                    $0.key("num_feature"); $0.string(String(features))
                    $0.key("num_target"); $0.string("1")
                }
                $0.key("objective")
                $0.object {
                    $0.key("name"); $0.string("binary:logistic")
                    $0.key("reg_loss_param"); $0.object { $0.key("scale_pos_weight"); $0.string(String(scalePositiveWeight)) }
                }
            }
            $0.key("version"); $0.array(3) { w, i in w.integer([1, 7, 4][i]) }
        }
        return Data(w.bytes)
    }

    /// XGBoost 1.7's feature importance of `trees` (its `GBTree::FeatureScore`) for `features`
    /// features: `weight` (splits on the feature), `total_gain` / `total_cover` (their loss
    /// changes / hessian sums added in `Float`, each tree walked depth first, right child before
    /// left, as XGBoost's `WalkTree` does), `gain` / `cover` (those over the splits); nil for a
    /// feature no tree splits on (XGBoost leaves it out).
    static func featureScores(_ trees: [BoostedTree], type: String, features: Int) -> [Float?] {
        var counts = [Int](repeating: 0, count: features), sums = [Float](repeating: 0, count: features)
        for tree in trees {
            var stack: [Int32] = [0]
            while let node = stack.popLast() {
                let n = Int(node)
                guard tree.left[n] >= 0 else { continue }
                let f = Int(tree.feature[n])
                counts[f] += 1
                switch type {
                case "weight": sums[f] = Float(counts[f])
                case "gain", "total_gain": sums[f] += tree.lossChange[n]
                default: sums[f] += tree.sumHessian[n]
                }
                stack.append(tree.left[n])
                stack.append(tree.right[n])
            }
        }
        if type == "gain" || type == "cover" {
            for f in 0..<features { sums[f] /= max(1, Float(counts[f])) }
        }
        return (0..<features).map { counts[$0] == 0 ? nil : sums[$0] }
    }

    /// The tree as XGBoost's `RegTree::SaveModel` writes it (its typed arrays).
    private func write(id: Int, features: Int, into w: inout ModelWriter) {
        w.object {
            $0.key("base_weights"); $0.floats(baseWeight)
            // no categorical splits, in the array types XGBoost reads them as
            $0.key("categories"); $0.int32s([])
            $0.key("categories_nodes"); $0.int32s([])
            $0.key("categories_segments"); $0.int64s([])
            $0.key("categories_sizes"); $0.int64s([])
            $0.key("default_left"); $0.uint8s(defaultLeft.map { $0 ? 1 : 0 })
            $0.key("id"); $0.integer(id)
            $0.key("left_children"); $0.int32s(left)
            $0.key("loss_changes"); $0.floats(lossChange)
            // XGBoost keeps the root's missing parent as 2^31 - 1
            $0.key("parents"); $0.int32s(parent.map { $0 < 0 ? Int32.max : $0 })
            $0.key("right_children"); $0.int32s(right)
            $0.key("split_conditions"); $0.floats(split)
            $0.key("split_indices"); $0.int32s(feature)
            $0.key("split_type"); $0.uint8s([UInt8](repeating: 0, count: count))
            $0.key("sum_hessian"); $0.floats(sumHessian)
            $0.key("tree_param")
            $0.object {
                $0.key("num_deleted"); $0.string("0")
                $0.key("num_feature"); $0.string(String(features))
                $0.key("num_nodes"); $0.string(String(count))
                $0.key("size_leaf_vector"); $0.string("0")
            }
        }
    }
}

/// Writes the UBJSON XGBoost 1.7 reads (its `UBJReader`): objects of length-prefixed keys,
/// strings, and typed arrays with a count, big-endian.
private struct ModelWriter {
    var bytes: [UInt8] = []

    private mutating func marker(_ c: UInt8) { bytes.append(c) }

    private mutating func bigEndian<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends every element of `values` big-endian, in one pass over a buffer grown once
    /// (a tree's typed arrays: an append per element cost most of a 300-tree model's writing).
    private mutating func bigEndian<T: FixedWidthInteger>(all values: [T]) {
        let size = MemoryLayout<T>.size, start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: values.count * size))
        bytes.withUnsafeMutableBytes { out in
            for (i, v) in values.enumerated() { out.storeBytes(of: v.bigEndian, toByteOffset: start + i * size, as: T.self) }
        }
    }

    private mutating func count(_ n: Int) {
        marker(UInt8(ascii: "L"))
        bigEndian(Int64(n))
    }

    mutating func key(_ s: String) {
        count(s.utf8.count)
        bytes.append(contentsOf: s.utf8)
    }

    mutating func integer(_ v: Int) { count(v) }

    mutating func string(_ s: String) {
        marker(UInt8(ascii: "S"))
        key(s)
    }

    mutating func object(_ body: (inout ModelWriter) -> Void) {
        marker(UInt8(ascii: "{"))
        body(&self)
        marker(UInt8(ascii: "}"))
    }

    mutating func array(_ n: Int, _ element: (inout ModelWriter, Int) -> Void) {
        marker(UInt8(ascii: "["))
        for i in 0..<n { element(&self, i) }
        marker(UInt8(ascii: "]"))
    }

    mutating func emptyArray() { array(0) { _, _ in } }

    private mutating func typed(_ type: Unicode.Scalar, _ n: Int) {
        bytes += [UInt8(ascii: "["), UInt8(ascii: "$"), UInt8(ascii: type), UInt8(ascii: "#")]
        count(n)
    }

    mutating func floats(_ v: [Float]) {
        typed("d", v.count)
        bigEndian(all: v.map(\.bitPattern))
    }

    mutating func int32s(_ v: [Int32]) {
        typed("l", v.count)
        bigEndian(all: v)
    }

    mutating func int64s(_ v: [Int64]) {
        typed("L", v.count)
        bigEndian(all: v)
    }

    mutating func uint8s(_ v: [UInt8]) {
        typed("U", v.count)
        bytes.append(contentsOf: v)
    }
}
