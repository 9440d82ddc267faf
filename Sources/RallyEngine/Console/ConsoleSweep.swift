/// A sweep as `rally.sweep{...}` runs it from a script or the prompt: made from the decoded
/// options (``EntryPointOptions/sweep``), its progress shown on stderr while it runs
/// (``ProgressDisplay``) and its closing lines written after (``SweepOutcome/closingLines(resume:)``),
/// nothing of either when `quiet`. It is the console around a ``SweepRunner``, which knows
/// nothing of terminals.
public struct ConsoleSweep {
    /// The data and models the options name.
    public let request: EvaluationRequest
    private let runner: SweepRunner
    private let display: ProgressDisplay
    private let resume: String?
    private let quiet: Bool

    /// The sweep of `values`; throws, naming the option, when they do not make one.
    public init(_ values: OptionValues) throws {
        resume = values.string("resume")
        quiet = values.bool("quiet")!
        let display = ProgressDisplay(quiet: quiet)
        request = try EvaluationRequest(values)
        let shard = try values.decoded("shard") { try SweepShard(options: $0) }
        runner = try SweepRunner(plan: try SweepPlan(values, request: request), resumePath: resume, shard: shard, progress: display.show)
        self.display = display
    }

    /// Runs every configuration (``SweepRunner/run(on:models:)``): Ctrl-C ends it with the
    /// finished rows, marked interrupted.
    public func run() throws -> SweepOutcome {
        defer { display.end() }
        let outcome = try runner.run(on: request.data, models: request.models)
        display.end()
        if !quiet { ProgressLines.write(outcome.closingLines(resume: resume)) }
        return outcome
    }
}
