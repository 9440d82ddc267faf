import Foundation

/// A monotone map from a base model's probability to a calibrated one, fitted on held-out
/// rows (``CalibratedModel``). A calibrator is the learnt map, not the procedure choosing its
/// rows, and not a metric of calibration (that is ``CalibrationCurve`` in Evaluation/).
///
/// - Platt scaling: `p' = σ(a · logit(p) + b)`, a logistic regression on the base's margin
///   (log-odds) fitted with Platt's smoothed targets (`(N+ + 1) / (N+ + 2)` for rallies,
///   `1 / (N- + 2)` for the others), as scikit-learn's `_sigmoid_calibration`.
/// - Isotonic: the non-decreasing step function of pool-adjacent-violators on the base's
///   probabilities (ties pooled first), read between its points by linear interpolation and
///   clipped at both ends, as scikit-learn's `IsotonicRegression(out_of_bounds="clip")`.
public enum Calibrator: Sendable, Equatable {
    /// `p' = σ(slope · logit(p) + intercept)`.
    case platt(slope: Double, intercept: Double)
    /// Points `(x, y)`: `x` strictly increasing base probabilities, `y` non-decreasing
    /// calibrated ones.
    case isotonic(x: [Double], y: [Double])

    /// The methods, as `rally.model.calibrated{method = ...}` names them.
    public static let methods = ["platt", "isotonic"]

    /// The method name.
    public var method: String {
        switch self {
        case .platt: "platt"
        case .isotonic: "isotonic"
        }
    }

    /// The log-odds of `p`, finite: p is clipped to [1e-15, 1 - 1e-15] first.
    public static func logit(_ p: Double) -> Double {
        let q = min(max(p, 1e-15), 1 - 1e-15)
        return log(q / (1 - q))
    }

    /// Fits a calibrator of `method` on the base's probabilities `p` and the 0/1 `labels` of
    /// the same rows. Throws when the rows hold one class only (nothing to calibrate against).
    public static func fit(method: String, probabilities p: [Double], labels: [Double]) throws -> Calibrator {
        precondition(p.count == labels.count, "one label per probability")
        let positives = labels.reduce(0, +)
        guard positives > 0 && positives < Double(labels.count) else {
            throw RallyError("calibrated: the holdout's \(labels.count) rows hold \(positives > 0 ? "only rallies" : "no rally"); "
                             + "calibration needs both classes (a longer holdout)")
        }
        switch method {
        case "platt": return try platt(margins: p.map(logit), labels: labels)
        case "isotonic": return isotonic(scores: p, targets: labels)
        default: throw RallyError("calibrated: unknown method '\(method)'; methods: \(methods.joined(separator: ", "))")
        }
    }

    /// Platt scaling on `margins`: the logistic regression of Platt's smoothed targets on the
    /// margin, by ``LogisticSolver`` (Newton, to convergence; its L2 penalty on the slope is
    /// made negligible by a weight of 1e8 per row).
    static func platt(margins: [Double], labels: [Double]) throws -> Calibrator {
        let positives = labels.reduce(0, +), negatives = Double(labels.count) - positives
        let high = (positives + 1) / (positives + 2), low = 1 / (negatives + 2)
        let targets = labels.map { $0 > 0.5 ? high : low }
        let solver = LogisticSolver(z: margins, y: targets, cs: [Double](repeating: 1e8, count: margins.count), n: margins.count, width: 1)
        let solution = try solver.solve(maxIterations: 200, tolerance: 1e-12)
        return .platt(slope: solution.theta[0], intercept: solution.theta[1])
    }

    /// Pool-adjacent-violators: the non-decreasing fit of `targets` ordered by `scores`, least
    /// squares with `weights` (1 each when nil). Equal scores are pooled first (their weighted
    /// mean). Returns the distinct scores and the fitted value at each.
    public static func poolAdjacentViolators(scores: [Double], targets: [Double], weights: [Double]? = nil) -> (x: [Double], y: [Double]) {
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] < scores[$1] : $0 < $1 }
        // blocks: value (weighted mean), weight, and the distinct scores they cover
        var value: [Double] = [], weight: [Double] = [], firstPoint: [Int] = []
        var xs: [Double] = [], pointWeight: [Double] = [], pointValue: [Double] = []
        for i in order {
            let w = weights?[i] ?? 1
            if let last = xs.last, last == scores[i] {
                let k = xs.count - 1
                pointValue[k] = (pointValue[k] * pointWeight[k] + targets[i] * w) / (pointWeight[k] + w)
                pointWeight[k] += w
            } else {
                xs.append(scores[i]); pointWeight.append(w); pointValue.append(targets[i])
            }
        }
        for k in xs.indices {
            value.append(pointValue[k]); weight.append(pointWeight[k]); firstPoint.append(k)
            while value.count > 1 && value[value.count - 2] > value[value.count - 1] {
                let b = value.count - 1
                let w = weight[b - 1] + weight[b]
                value[b - 1] = (value[b - 1] * weight[b - 1] + value[b] * weight[b]) / w
                weight[b - 1] = w
                value.removeLast(); weight.removeLast(); firstPoint.removeLast()
            }
        }
        var ys = [Double](repeating: 0, count: xs.count)
        for b in value.indices {
            let end = b + 1 < firstPoint.count ? firstPoint[b + 1] : xs.count
            for k in firstPoint[b]..<end { ys[k] = value[b] }
        }
        return (xs, ys)
    }

    /// The isotonic calibrator of `targets` (0/1) on `scores`, keeping only the points where
    /// the fitted value changes (the ends of each flat run), which interpolate the same.
    static func isotonic(scores: [Double], targets: [Double]) -> Calibrator {
        let (x, y) = poolAdjacentViolators(scores: scores, targets: targets)
        var keptX: [Double] = [], keptY: [Double] = []
        for k in x.indices {
            let interior = k > 0 && k + 1 < x.count && y[k - 1] == y[k] && y[k] == y[k + 1]
            if !interior { keptX.append(x[k]); keptY.append(y[k]) }
        }
        return .isotonic(x: keptX, y: keptY)
    }

    /// The calibrated probability of each base probability in `p`.
    public func apply(_ p: [Double]) -> [Double] {
        switch self {
        case .platt(let a, let b):
            return p.map { 1 / (1 + exp(-(a * Self.logit($0) + b))) }
        case .isotonic(let x, let y):
            return p.map { Self.interpolate(x, y, at: $0) }
        }
    }

    /// Linear interpolation of the points `(x, y)` at `t`, clipped to the end values outside.
    static func interpolate(_ x: [Double], _ y: [Double], at t: Double) -> Double {
        guard let first = x.first, let last = x.last else { return .nan }
        if t <= first { return y[0] }
        if t >= last { return y[y.count - 1] }
        // the first point above t (binary search)
        var lo = 0, hi = x.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if x[mid] <= t { lo = mid } else { hi = mid }
        }
        let share = (t - x[lo]) / (x[hi] - x[lo])
        return y[lo] + share * (y[hi] - y[lo])
    }

    /// The calibrator's numbers for a model file: `platt: [slope, intercept]`, or `x` and `y`.
    var state: [String: [Double]] {
        switch self {
        case .platt(let a, let b): ["platt": [a, b]]
        case .isotonic(let x, let y): ["x": x, "y": y]
        }
    }

    /// The calibrator of `method` from a model file's `state`; throws naming `path` and what
    /// is wrong (a missing array, lengths, x not increasing, y not non-decreasing in [0, 1]).
    static func restore(method: String, state: [String: [Double]], path: String) throws -> Calibrator {
        func fail(_ what: String) -> RallyError { RallyError("'\(path)': calibrated model state: \(what)") }
        switch method {
        case "platt":
            guard let ab = state["platt"], ab.count == 2, ab.allSatisfy(\.isFinite) else { throw fail("'platt' must hold 2 finite numbers (slope, intercept)") }
            return .platt(slope: ab[0], intercept: ab[1])
        case "isotonic":
            guard let x = state["x"], let y = state["y"], !x.isEmpty, x.count == y.count else { throw fail("'x' and 'y' must hold the same number of values, at least one") }
            for k in x.indices {
                guard x[k].isFinite, y[k] >= 0, y[k] <= 1 else { throw fail("point \(k + 1) must have a finite x and y in [0, 1]") }
                if k > 0 && !(x[k] > x[k - 1] && y[k] >= y[k - 1]) { throw fail("point \(k + 1): x must increase and y never decrease") }
            }
            return .isotonic(x: x, y: y)
        default:
            throw fail("unknown method '\(MessageText.quote(method, limit: 40))'; methods: \(methods.joined(separator: ", "))")
        }
    }
}
