import Foundation

/// Checks a gbdt model file (XGBoost 1.7 JSON, as ``GradientBoostedModel/save(to:)`` writes it)
/// before XGBoost sees it: a model file is untrusted input, and XGBoost trusts its files (a child
/// index out of range, a cycle or a bad `tree_info` crash it, hang it or corrupt its heap).
///
/// Accepted: at most ``maxBytes`` bytes and ``BoundedJSON/maxDepth`` levels of nesting, valid
/// strict JSON without duplicate keys; one binary `gbtree` booster (`num_class` 0, `num_target`
/// 1, one parallel tree, `tree_info` all 0, no categorical splits, no leaf vectors); at most
/// ``maxFeatures`` features, ``maxTrees`` trees and ``maxNodes`` nodes in all; in each tree
/// every array as long as `num_nodes`, node 0 the root, each other node the child of exactly one
/// node (its `parents` entry agreeing), every node reachable from the root (so no cycle), split
/// features below `num_feature`; `rally_features` (when present) naming `num_feature` features.
/// Anything else is refused with a message naming the field, e.g.
/// `trees[0].left_children[0] = 99999999 is not a node of the tree (it has 11 nodes)`.
enum GradientBoostedFileCheck {
    /// The largest model file read: 256 MiB.
    static let maxBytes = 256 << 20
    /// The most features a model may have.
    static let maxFeatures = 100_000
    /// The most trees a model may have.
    static let maxTrees = 100_000
    /// The most nodes in all trees together.
    static let maxNodes = 1 << 24

    /// Throws `'path': not a valid gbdt model file: <what>` unless `data` passes every check.
    static func check(_ data: Data, path: String) throws {
        do {
            guard data.count <= maxBytes else { throw RallyError("\(data.count) bytes, more than the \(maxBytes >> 20) MiB a model file may have") }
            let root = try data.withUnsafeBytes { try BoundedJSON.parse($0) }
            try checkModel(root)
        } catch let error as RallyError {
            throw RallyError(MessageText.bounded("'\(path)': not a valid gbdt model file: \(error.message)"))
        }
    }

    private static func fail(_ what: String) -> RallyError { RallyError(what) }

    private static func object(_ v: BoundedJSON?, _ name: String) throws -> [String: BoundedJSON] {
        guard case .object(let o)? = v else { throw fail("\(name) must be an object") }
        return o
    }

    private static func array(_ v: BoundedJSON?, _ name: String) throws -> [BoundedJSON] {
        guard case .array(let a)? = v else { throw fail("\(name) must be an array") }
        return a
    }

    private static func string(_ v: BoundedJSON?, _ name: String) throws -> String {
        guard case .string(let s)? = v else { throw fail("\(name) must be a string") }
        return s
    }

    /// An integer written as a string (XGBoost's parameters): `"11"`.
    private static func integerString(_ v: BoundedJSON?, _ name: String, _ range: ClosedRange<Int>) throws -> Int {
        let s = try string(v, name)
        guard s.utf8.count <= 12, let n = Int(s), range.contains(n) else {
            throw fail("\(name) = \"\(MessageText.quote(s, limit: 20))\" must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return n
    }

    /// The integers of an array of `count` integers, each in `range`.
    private static func integers(_ v: BoundedJSON?, _ name: String, count: Int, _ range: ClosedRange<Int64>) throws -> [Int] {
        let a = try array(v, name)
        guard a.count == count else { throw fail("\(name) has \(a.count) entries, expected \(count)") }
        return try a.enumerated().map { k, e in
            guard case .number(_, let n, false) = e, let n else { throw fail("\(name)[\(k)] must be a whole number") }
            guard range.contains(n) else {
                throw fail("\(name)[\(k)] = \(n) is out of range (\(range.lowerBound)...\(range.upperBound))")
            }
            return Int(n)
        }
    }

    private static func numbers(_ v: BoundedJSON?, _ name: String, count: Int) throws {
        let a = try array(v, name)
        guard a.count == count else { throw fail("\(name) has \(a.count) entries, expected \(count)") }
        for (k, e) in a.enumerated() {
            guard case .number(_, _, true) = e else { throw fail("\(name)[\(k)] must be a number with a decimal point") }
        }
    }

    private static func checkModel(_ root: BoundedJSON) throws {
        let top = try object(root, "the top level")
        let learner = try object(top["learner"], "learner")
        if let version = top["version"] { _ = try integers(version, "version", count: 3, 0...1_000) }
        let param = try object(learner["learner_model_param"], "learner.learner_model_param")
        let features = try integerString(param["num_feature"], "learner_model_param.num_feature", 1...maxFeatures)
        _ = try integerString(param["num_class"], "learner_model_param.num_class", 0...0)
        if param["num_target"] != nil { _ = try integerString(param["num_target"], "learner_model_param.num_target", 1...1) }
        let baseScore = try string(param["base_score"], "learner_model_param.base_score")
        guard let b = Double(baseScore), b.isFinite else { throw fail("learner_model_param.base_score = \"\(MessageText.quote(baseScore, limit: 20))\" must be a finite number") }
        let objective = try object(learner["objective"], "learner.objective")
        let objectiveName = try string(objective["name"], "learner.objective.name")
        guard ["binary:logistic", "binary:logitraw", "reg:logistic"].contains(objectiveName) else {
            throw fail("learner.objective.name = \"\(MessageText.quote(objectiveName, limit: 30))\": rally's gbdt files are binary:logistic")
        }
        for key in ["feature_names", "feature_types"] where learner[key] != nil {
            let a = try array(learner[key], "learner.\(key)")
            guard a.isEmpty || a.count == features else { throw fail("learner.\(key) has \(a.count) entries, expected 0 or \(features) (num_feature)") }
            for (k, e) in a.enumerated() {
                let s = try string(e, "learner.\(key)[\(k)]")
                if key == "feature_types" && !["q", "float", "int", "i"].contains(s) {
                    throw fail("learner.feature_types[\(k)] = \"\(MessageText.quote(s, limit: 20))\": rally's gbdt has numeric features only")
                }
            }
        }
        if let attributes = learner["attributes"] {
            for (key, value) in try object(attributes, "learner.attributes") { _ = try string(value, "learner.attributes.\(MessageText.quote(key, limit: 40))") }
            if case .string(let text)? = try object(attributes, "learner.attributes")["rally_features"] {
                let names = try array(try BoundedJSON.parse(text), "attribute rally_features")
                guard names.count == features else { throw fail("attribute rally_features names \(names.count) features, but num_feature is \(features)") }
                var seen = Set<String>()
                for (k, v) in names.enumerated() {
                    let name = try string(v, "attribute rally_features[\(k)]")
                    guard !name.isEmpty, name.utf8.count <= 200, !name.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 }) else {
                        throw fail("attribute rally_features[\(k)] = \"\(MessageText.quote(name, limit: 40))\" is not a feature name (1-200 bytes, no control characters)")
                    }
                    guard seen.insert(name).inserted else { throw fail("attribute rally_features names '\(MessageText.quote(name, limit: 40))' twice") }
                }
            }
        }
        let booster = try object(learner["gradient_booster"], "learner.gradient_booster")
        let kind = try string(booster["name"], "gradient_booster.name")
        guard kind == "gbtree" else { throw fail("gradient_booster.name = \"\(MessageText.quote(kind, limit: 20))\": rally's gbdt files use gbtree") }
        let model = try object(booster["model"], "gradient_booster.model")
        let trees = try array(model["trees"], "model.trees")
        guard trees.count <= maxTrees else { throw fail("\(trees.count) trees, more than \(maxTrees)") }
        let treeParam = try object(model["gbtree_model_param"], "model.gbtree_model_param")
        let declared = try integerString(treeParam["num_trees"], "gbtree_model_param.num_trees", 0...maxTrees)
        guard declared == trees.count else { throw fail("gbtree_model_param.num_trees is \(declared) but model.trees has \(trees.count)") }
        _ = try integerString(treeParam["num_parallel_tree"], "gbtree_model_param.num_parallel_tree", 1...1)
        if treeParam["size_leaf_vector"] != nil { _ = try integerString(treeParam["size_leaf_vector"], "gbtree_model_param.size_leaf_vector", 0...0) }
        _ = try integers(model["tree_info"], "model.tree_info", count: trees.count, 0...0)
        var totalNodes = 0
        for (k, tree) in trees.enumerated() {
            totalNodes += try checkTree(tree, index: k, features: features, nodeBudget: maxNodes - totalNodes)
        }
    }

    /// Checks tree `index`; returns its node count.
    private static func checkTree(_ value: BoundedJSON, index k: Int, features: Int, nodeBudget: Int) throws -> Int {
        let name = "trees[\(k)]"
        let tree = try object(value, name)
        _ = try integers(.array([tree["id"] ?? .null]), "\(name).id", count: 1, Int64(k)...Int64(k))
        let param = try object(tree["tree_param"], "\(name).tree_param")
        let n = try integerString(param["num_nodes"], "\(name).tree_param.num_nodes", 1...max(1, nodeBudget))
        guard n <= nodeBudget else { throw fail("more than \(maxNodes) nodes in all trees") }
        _ = try integerString(param["num_feature"], "\(name).tree_param.num_feature", features...features)
        _ = try integerString(param["num_deleted"], "\(name).tree_param.num_deleted", 0...0)
        _ = try integerString(param["size_leaf_vector"], "\(name).tree_param.size_leaf_vector", 0...0)
        let bound = Int64(Int32.max)
        let left = try integers(tree["left_children"], "\(name).left_children", count: n, -1...bound)
        let right = try integers(tree["right_children"], "\(name).right_children", count: n, -1...bound)
        let parents = try integers(tree["parents"], "\(name).parents", count: n, -1...bound)
        _ = try integers(tree["split_indices"], "\(name).split_indices", count: n, 0...Int64(features - 1))
        _ = try integers(tree["default_left"], "\(name).default_left", count: n, 0...1)
        _ = try integers(tree["split_type"], "\(name).split_type", count: n, 0...0)
        for field in ["split_conditions", "base_weights", "loss_changes", "sum_hessian"] {
            try numbers(tree[field], "\(name).\(field)", count: n)
        }
        for field in ["categories", "categories_nodes", "categories_segments", "categories_sizes"] {
            guard try array(tree[field], "\(name).\(field)").isEmpty else { throw fail("\(name).\(field) must be empty (rally's gbdt has no categorical splits)") }
        }
        guard parents[0] == Int(Int32.max) || parents[0] == -1 else { throw fail("\(name).parents[0] = \(parents[0]): node 0 is the root and has no parent") }
        var parentOf = [Int](repeating: -1, count: n)
        for i in 0..<n {
            let (l, r) = (left[i], right[i])
            if l == -1 && r == -1 { continue }
            for (side, c) in [("left_children", l), ("right_children", r)] {
                guard c >= 1 && c < n else { throw fail("\(name).\(side)[\(i)] = \(c) is not a node of the tree (it has \(n) nodes)") }
                guard parentOf[c] == -1 else { throw fail("\(name): node \(c) is a child of both node \(parentOf[c]) and node \(i)") }
                guard parents[c] == i else { throw fail("\(name).parents[\(c)] = \(parents[c]), but node \(c) is a child of node \(i)") }
                parentOf[c] = i
            }
        }
        // every node reachable from the root: with one parent each, the nodes form a tree
        var reached = 0
        var stack = [0]
        var seen = [Bool](repeating: false, count: n)
        seen[0] = true
        while let i = stack.popLast() {
            reached += 1
            for c in [left[i], right[i]] where c > 0 && !seen[c] {
                seen[c] = true
                stack.append(c)
            }
        }
        guard reached == n else {
            let lost = seen.firstIndex(of: false) ?? 0
            throw fail("\(name): node \(lost) cannot be reached from the root (a cycle, or a node without parent)")
        }
        return n
    }
}
