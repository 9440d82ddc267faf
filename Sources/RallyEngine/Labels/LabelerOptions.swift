/// The options of each labeler kind, declared once (rule, default, doc): `Labeler.make` checks
/// parameters against them, `rally.labeler.<kind>` shows them in its help.
extension Labeler {
    static let columnOption = OptionDeclaration("col", .nonEmptyText, default: .string("price"), doc: "the column labelled")
    static let qOption = OptionDeclaration("q", .number(.openFraction), default: .number(0.95),
                                           doc: "the trailing quantile a rally must beat")
    static let windowOption = OptionDeclaration("window", .steps(1...EntryPointOptions.maximumSteps), default: .number(672),
                                                doc: "history behind that quantile: steps, or a duration such as \"28d\"")
    static let horizonOption = OptionDeclaration("horizon", .steps(1...EntryPointOptions.maximumSteps), default: .number(24),
                                                 doc: "how far ahead the label looks: steps, or a duration such as \"24h\"")
    static let levelOption = OptionDeclaration("level", .number(.finite), doc: "a fixed threshold (USD/MWh)")
    static let riseOption = OptionDeclaration("rise", .number(.nonNegative), doc: "the relative rise a rally must beat (0.5 = +50%)")

    /// The options of `kind` (none for an unknown kind).
    public static func schema(_ kind: String) -> OptionSchema {
        switch kind {
        case "quantile":
            OptionSchema("quantile", summary: """
                rally.labeler.quantile{[options]} -- the protocol's labeler. threshold(t) = q-quantile (type 7) of col[t-window+1 ... t];
                label(t) = 1 when col[t+horizon] > threshold(t) (strict). Undefined before the window fills and where t+horizon is past the end.
                """, [columnOption, qOption, windowOption, horizonOption])
        case "threshold":
            OptionSchema("threshold", summary: """
                rally.labeler.threshold{level = x [, options]} -- label(t) = 1 when col[t+horizon] > level.
                """, [columnOption, required(levelOption), horizonOption])
        case "jump":
            OptionSchema("jump", summary: """
                rally.labeler.jump{rise = r [, options]} -- a relative rise: threshold(t) = col[t] + rise*|col[t]| (col[t]*(1+rise) for
                a positive price); label(t) = 1 when col[t+horizon] > threshold(t).
                """, [columnOption, required(riseOption), horizonOption])
        case "daily_any":
            OptionSchema("daily_any", summary: """
                rally.labeler.daily_any{[options]} -- for day-ahead decisions: label(t) = 1 when any step of the next delivery day (the calendar
                day after t's date, 00:00-23:00) has col > threshold(t), the threshold known at t: the trailing q-quantile over window steps,
                or a fixed level (give level, or q and window, not both). Undefined when the next day is not wholly in the data, or when
                nothing exceeds the threshold but a value is missing. A label at 00:00 reads 47 hours ahead.
                """, [columnOption, qOption, windowOption, levelOption])
        default:
            OptionSchema(kind, [])
        }
    }

    private static func required(_ option: OptionDeclaration) -> OptionDeclaration {
        var o = option
        o.required = true
        return o
    }
}
