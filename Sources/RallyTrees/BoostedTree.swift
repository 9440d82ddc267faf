/// One regression tree of a boosted ensemble, in XGBoost's layout (its `RegTree`): node 0 is
/// the root; a split's children are made together, the right one just after the left; a leaf
/// has no children and keeps its value (learning rate applied) where a split keeps its
/// threshold. A row goes left when its value is below the threshold, and to the
/// `defaultLeft` side when the value is missing.
///
/// It holds what XGBoost's JSON model holds for a numeric tree, so that the trees rally's
/// trainer grows (``HistogramTrees``) are saved, explained and predicted by XGBoost itself
/// (rally's engine writes them as XGBoost's JSON model).
package struct BoostedTree: Sendable, Equatable {
    package var left: [Int32] = [-1]
    package var right: [Int32] = [-1]
    package var parent: [Int32] = [-1]
    package var feature: [Int32] = [0]
    /// A split's threshold, or a leaf's value.
    package var split: [Float] = [0]
    package var defaultLeft: [Bool] = [false]
    /// A split's loss reduction (0 for leaves).
    package var lossChange: [Float] = [0]
    /// The hessian sum of the node's rows (its cover).
    package var sumHessian: [Float] = [0]
    /// A split's weight before the learning rate; a leaf's value.
    package var baseWeight: [Float] = [0]

    /// Number of nodes.
    package var count: Int { left.count }

    /// A tree of one leaf of value 0.
    package init() {}

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
}
