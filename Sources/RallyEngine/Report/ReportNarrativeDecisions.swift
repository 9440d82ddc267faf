import Foundation

/// The report's decision section (``ReportNarrative/document()`` places it after the models'
/// disagreement): the actions a rally probability informs, the worked cost example, the
/// thresholds' savings and how they move with the cost ratio. Every figure in it comes from
/// ``ReportAnalysis/decisions`` and ``ReportAnalysis/costSensitivity``.
extension ReportNarrative {
    /// Adds "What it means for decisions" to `doc`.
    func decisions(_ doc: inout ReportDocument) {
        let dc = analysis.decisions
        let r = dc.costRatio, tau = dc.bayesThreshold
        let days = Double(dc.hours) / 24
        func per30(_ n: Int) -> String { T.fixed(Double(n) / days * 30, 1) }
        func saving(_ cost: Double, _ never: Double) -> String { never > 0 ? T.percent(1 - cost / never, 0) : "n/a" }
        doc.add(.heading(1, "What it means for decisions"))
        doc.add(.paragraph("A rally probability is worth something only through an action taken before the hour. For freight and refining the actions, and the trade-off behind them, look like this:"))
        doc.add(.bullets([
            "**Refinery electric load — hedge or pre-buy.** Compressors, pumps and hydrogen or air-separation units draw large, partly flexible electric loads. When the probability for tomorrow's hour is high, buy that block day-ahead or with a hedge instead of leaving it to real-time prices; when it is low, stay floating.",
            "**Freight and pipelines — move the work.** Rail terminal operations (electrified yards, cranes, reefer pre-cooling), tank-farm transfers and pipeline pumping batches can often slide by hours. Flagged hours are the ones to schedule around: pump ahead into storage, pre-cool before, defer the discretionary moves.",
            "**What an error costs.** A false alarm costs the price of acting for nothing (a premium paid on a hedge, a rescheduled shift, pumping at a worse hour); a missed rally costs the spike itself on the unhedged load. The ratio between the two — not the model's accuracy — sets where to act.",
        ]))
        place("value", &doc)
        for block in analysis.decisionBlocks { doc.add(block) }
        doc.add(.paragraph("A worked example: below, a false alarm costs 1 unit and a missed rally \(T.fixed(r, 0)) units (`cost_ratio = \(Format.number(r))`). For calibrated probabilities the cheapest rule is to act when p ≥ 1/(1 + \(Format.number(r))) = \(T.fixed(tau, 3)). Doing nothing costs \(Format.number(dc.neverCost)) units over the \(dc.hours) test hours (every rally missed); acting every hour costs \(Format.number(dc.alwaysCost)) (every calm hour a false alarm)."))
        let k = dc.thresholds.firstIndex(of: tau) ?? 0
        let rows = dc.table.map { row -> [String] in
            let o = row[k]
            return [o.model, per30(o.alarms), T.percent(dc.rallies > 0 ? Double(o.hits) / Double(dc.rallies) : .nan),
                    T.percent(o.alarms > 0 ? Double(o.hits) / Double(o.alarms) : .nan), Format.number(o.cost), saving(o.cost, dc.neverCost)]
        }
        doc.add(.table(header: ["Model", "Alarm hours per 30 days", "Rallies caught", "Alarms that were rallies", "Cost (units)", "Saving vs doing nothing"],
                       rows: rows, numeric: [false, true, true, true, true, true]))
        let grid = dc.thresholds.indices.map { t in
            [T.fixed(dc.thresholds[t], 3) + (t == k ? " (1/(1+R))" : "")] + dc.table.map { saving($0[t].cost, dc.neverCost) }
        }
        let hindsight = ["best in hindsight"] + dc.hindsightBest.map { "\(saving($0.cost, dc.neverCost)) at p ≥ \(T.fixed($0.threshold, 3))" }
        doc.add(.paragraph("Saving against doing nothing for other thresholds; the last row is the threshold that would have been cheapest on these very hours (chosen with hindsight, so optimistic):"))
        doc.add(.table(header: ["Act when p ≥"] + models, rows: grid + [hindsight], numeric: [false] + models.map { _ in true }))
        let bestNow = dc.table.enumerated().min { $0.element[k].cost < $1.element[k].cost || ($0.element[k].cost == $1.element[k].cost && $0.offset < $1.offset) }
        if let bestNow {
            let o = bestNow.element[k]
            var text = "At this cost ratio `\(o.model)` is the cheapest to act on at p ≥ \(T.fixed(tau, 3)): about \(per30(o.alarms)) alarm hours a month, catching \(T.percent(dc.rallies > 0 ? Double(o.hits) / Double(dc.rallies) : .nan)) of rallies, \(saving(o.cost, dc.neverCost)) below the cost of doing nothing."
            let others = dc.table.filter { $0[k].model != o.model }.map { $0[k].cost }
            if let next = others.min(), dc.neverCost > 0 {
                text += " The runner-up costs \(Format.number(next - o.cost)) units more (\(T.percent((next - o.cost) / dc.neverCost)) of the do-nothing cost)."
            }
            doc.add(.paragraph(text))
        }
        var drift: [String] = []
        for (row, best) in zip(dc.table, dc.hindsightBest) where best.alarms > 0 && dc.neverCost > 0 {
            // Only a threshold that would have saved a material share (1% of the do-nothing cost) says something.
            let gain = (row[k].cost - best.cost) / dc.neverCost
            guard gain >= 0.01 else { continue }
            if best.threshold < tau / 2 {
                drift.append("`\(best.model)`'s cheapest threshold in hindsight, \(T.fixed(best.threshold, 3)), is well below \(T.fixed(tau, 3)) (it would have saved a further \(T.percent(gain)) of the do-nothing cost): its probabilities understate rally risk where this decision is made")
            } else if best.threshold > tau * 2 {
                drift.append("`\(best.model)`'s cheapest threshold in hindsight, \(T.fixed(best.threshold, 3)), is well above \(T.fixed(tau, 3)) (a further \(T.percent(gain)) of the do-nothing cost): its probabilities overstate rally risk where this decision is made")
            }
        }
        doc.add(.paragraph(drift.isEmpty
            ? "No model would have saved more than 1% of the do-nothing cost with a threshold far (beyond a factor of two) from \(T.fixed(tau, 3)): at this cost ratio their probabilities can be acted on as stated."
            : drift.joined(separator: "; ") + ". Recalibrate on recent data (see the reliability diagram) before acting on the stated probabilities."))
        let sensitivity = analysis.costSensitivity.map { s in
            [Format.number(s.ratio), T.fixed(1 / (1 + s.ratio), 3)] + s.outcomes.map { saving($0.cost, s.never) }
        }
        doc.add(.paragraph("How the answer moves with the cost ratio (saving vs doing nothing when acting at p ≥ 1/(1+R)). A refinery hedging a few megawatts with cheap day-ahead blocks sits at a high ratio; a terminal whose every reschedule costs overtime sits at a low one:"))
        doc.add(.table(header: ["Cost ratio R", "Act when p ≥"] + models, rows: sensitivity, numeric: [true, true] + models.map { _ in true }))
    }
}
