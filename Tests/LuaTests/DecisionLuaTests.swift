import Foundation
import Testing
@testable import RallyEngine

/// The evaluation tests' data, split and models, evaluated with a small bootstrap.
private let setUp = evaluationSetUp + """
res = rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, bootstrap = 40, quiet = true}
"""

@Suite(.serialized) struct DecisionLuaTests {
    let lua = LuaHarness()

    func luaError(_ chunk: String) -> String { lua.errorMessage(chunk, positioned: false) }

    @Test func eventsGiveEpisodeFiguresWithIntervals() throws {
        try lua.run(setUp)
        #expect(try lua.run("""
            local e = res:events()
            local c = e.models.logreg.caught
            return e.rule.top, e.lead_hours, e.gap_hours, e.resamples, c.value >= 0 and c.value <= 1, #c.ci95,
                   e.models.naive.episodes.value == e.models.logreg.episodes.value, e.text:find('caught %[95%% CI%]') ~= nil
            """) == ["0.05", "24", "0", "40", "true", "2", "true", "true"])
        // a threshold rule, a wider gap: fewer episodes
        #expect(try lua.run("""
            local a = res:events{alarm = 'threshold', threshold = 0.3, gap = 6}
            return a.rule.threshold, a.models.naive.episodes.value < res:events().models.naive.episodes.value
            """) == ["0.3", "true"])
        #expect(luaError("res:events{lead = -1}").contains("field 'lead': an integer in [0, 1000000] expected, got -1"))
        #expect(luaError("res:events{alarm = 'sometimes'}").contains("field 'alarm'"))
        #expect(luaError("res:events{leed = 3}").contains("unknown option 'leed'"))
    }

    @Test func valueCurvesCalibratedAndTrained() throws {
        try lua.run(setUp)
        #expect(try lua.run("""
            local v = res:value{alpha = {0.05, 0.5}}
            local g = v.models.logreg
            return #v.alpha, #g.calibrated, #g.trained, #g.calibrated_lo, #g.thresholds, g.calibrated[1] <= 1, v.resamples
            """) == ["2", "2", "2", "2", "1", "true", "40"])
        #expect(try lua.run("return #res:value().alpha, #res:value{alpha = 0.2}.alpha") == ["99", "1"])
        #expect(luaError("res:value{alpha = {0.5, 1}}").contains("field 'alpha': at index 2: a number in (0, 1) expected, got 1"))
        #expect(luaError("res:value{alpha = 'x'}").contains("field 'alpha'"))
        // metrics() carries both sections, as metrics.json does
        #expect(try lua.run("local m = res:metrics() return #m.economic_value.alpha, m.episodes.models.naive.caught ~= nil")
                == ["99", "true"])
    }

    @Test func metricsAddEpisodesOfConsecutiveHours() throws {
        // rallies at 2-3 and 6; alarms at 1 and 6: both caught (lead 1 and 0), no false alarm, 2 alarm hours in 8
        #expect(try lua.run("""
            local m = rally.metrics({0, 0, 1, 1, 0, 0, 1, 0}, {0.1, 0.9, 0.2, 0.1, 0.1, 0.1, 0.8, 0.1}, {alarm = 'threshold', lead = 1})
            local e = m.episodes
            return e.episodes, e.caught, e.caught_early, e.lead_median, e.false_alarms_per_30d, e.alarm_hours_per_30d
            """) == ["2.0", "1.0", "1.0", "0.5", "0.0", "180.0"])
    }

    @Test func sweepAddsEpisodeColumnsOnRequest() throws {
        try lua.run(setUp)
        #expect(try lua.run("""
            local t = rally.sweep{data = ds, features = fx, labeler = lab, split = sp, models = {rally.model.naive(), rally.model.logreg{C = 1}},
                                  grid = {q = {0.95}}, bootstrap = 40, quiet = true, threads = 1, events = {lead = 12, alarm = 'threshold', threshold = 0.2}}
            local e = res:events{lead = 12, alarm = 'threshold', threshold = 0.2}
            local row = t:rows()[2]
            local c = e.models.logreg.caught
            return row.model, row.episodes_caught == c.value, row.episodes_caught_lo == c.ci95[1], row.episodes_caught_hi == c.ci95[2],
                   row.episodes_false_alarms_per_30d == e.models.logreg.false_alarms_per_30d.value
            """) == ["logreg", "true", "true", "true", "true"])
        #expect(try lua.run("""
            local t = rally.sweep{data = ds, features = fx, labeler = lab, split = sp, models = {rally.model.naive()}, grid = {q = {0.95}},
                                  bootstrap = 0, quiet = true, threads = 1}
            return t:rows()[1].episodes_caught == nil
            """) == ["true"])
        #expect(luaError("rally.sweep{data = ds, features = fx, labeler = lab, split = sp, models = {rally.model.naive()}, events = {lead = -2}}")
                .contains("field 'events'"))
    }

    @Test func tuneOptionsAreDeclaredAndChecked() throws {
        try lua.run(setUp)
        let help = try lua.run("return rally.help(rally.tune)")[0]
        #expect(help.contains("nested walk-forward") && help.contains("inner = 1 (integer in [1, 10])"))
        let base = "data = ds, features = fx, labeler = lab, split = sp, model = 'logreg'"
        #expect(luaError("rally.tune{\(base)}").contains("field 'grid'"))
        #expect(luaError("rally.tune{\(base), grid = {C = {}}}").contains("field 'grid.C': a non-empty list of values expected"))
        #expect(luaError("rally.tune{\(base), grid = {C = {-1}}}").contains("field 'grid'"))
        #expect(luaError("rally.tune{\(base), grid = {C = {1}}, inner = 11}").contains("field 'inner'"))
        #expect(luaError("rally.tune{\(base), grid = {C = {1}}, inner_step = 'week'}").contains("field 'inner_step'"))
        // a one-year test set after one year of data leaves no room for an inner year
        #expect(luaError("rally.tune{\(base), grid = {C = {1, 0.01}}, quiet = true}").contains("no room for an inner fold"))
        let ok = try lua.run("""
            local t = rally.tune{\(base), grid = {C = {1, 0.01}}, inner_step = '3 months', bootstrap = 20, quiet = true}
            return #t.folds, type(t.folds[1].chosen.C), t.metrics.pr_auc.value > 0, #t.grid, t.selected_on_test.flattery ~= nil, t.text:find('flattered') ~= nil
            """)
        #expect(ok == ["1", "number", "true", "2", "true", "true"])
    }
}
