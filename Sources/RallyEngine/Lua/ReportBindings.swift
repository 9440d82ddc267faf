import CLua

/// The Lua face of the report: `rally.report{...}`.
enum ReportBindings {
    static func install(_ rally: LuaModule) {
        rally.function("report", schema: EntryPointOptions.report) { L in
            let args = LuaArgs(L, "report")
            let o = try args.options(1)
            let values = try o.decode(EntryPointOptions.report)
            var options: ReportOptions
            do { options = try ReportOptions(values) } catch let e as RallyError { throw args.error(1, e.message) }
            options.windows = try windows(o, L)
            try o.finish()
            Cancellation.reset()
            let output = try ReportBuilder.render(options)
            L.newTable()
            L.push(output.markdown); L.rawSet(-2, "markdown")
            L.push(output.html); L.rawSet(-2, "html")
            L.push(strings: output.figures); L.rawSet(-2, "figures")
            L.push(strings: output.notes); L.rawSet(-2, "notes")
            return 1
        }
    }

    /// The `windows` option: a list of `{from = time, to = time, title = "..."}` tables.
    private static func windows(_ o: LuaOptions, _ L: LuaState) throws -> [ReportWindow]? {
        try o.with("windows") { present in
            guard present else { return nil }
            guard L.type(-1) == LUA_TTABLE else { throw o.error("windows", "a list of {from = ..., to = ..., title = ...} tables expected, got \(L.typeName(-1))") }
            let list = L.absolute(-1)
            let n = L.rawLength(list)
            guard n > 0 else { throw o.error("windows", "at least one window expected, got an empty table") }
            var out: [ReportWindow] = []
            for i in 1...n {
                L.rawGet(list, index: i)
                defer { L.pop() }
                guard L.type(-1) == LUA_TTABLE else { throw o.error("windows", "window \(i): a table {from = ..., to = ..., title = ...} expected, got \(L.typeName(-1))") }
                // fields read by hand, so every message is one `bad argument` naming the window
                let w = LuaOptions(L, table: L.absolute(-1), function: "report", argument: 1)
                func failure(_ message: String) -> RallyError { o.error("windows", "window \(i): \(message)") }
                func field(_ key: String, _ dateOnly: DataBindings.DateOnly) throws -> Int64 {
                    try w.with(key) { present in
                        guard present else { throw failure("field '\(key)': time string expected (\"YYYY-MM-DD HH:MM\"), got nil") }
                        return try DataBindings.time(L, -1, dateOnly: dateOnly) { failure("field '\(key)': \($0)") }
                    }
                }
                let from = try field("from", .startOfDay), to = try field("to", .endOfDay)
                let title = try w.with("title") { present -> String? in
                    guard present else { return nil }
                    guard let s = L.string(-1) else { throw failure("field 'title': string expected, got \(L.typeName(-1))") }
                    return s
                } ?? "\(TimeStamp.format(from).prefix(10)) to \(TimeStamp.format(to).prefix(10))"
                if let unknown = w.presentKeys().first(where: { !["from", "to", "title"].contains($0) }) {
                    throw failure("unknown field '\(unknown)'; valid fields: from, title, to")
                }
                do { out.append(try ReportWindow(title: title, from: from, to: to)) } catch let e as RallyError { throw failure(e.message) }
            }
            return out
        }
    }
}
