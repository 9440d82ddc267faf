import Foundation
import Testing

/// Whether the Slurm test runs: always in CI (where it must), elsewhere when Slurm is installed.
private let slurmWanted: Bool = {
    if ProcessInfo.processInfo.environment["CI"] != nil { return true }
    return FileManager.default.isExecutableFile(atPath: "/usr/sbin/slurmctld")
}()

/// A sweep as a Slurm job array on a real single-node cluster brought up on this host
/// (scripts/slurm/local-cluster.sh): 4 shard tasks and a dependent merge job, whose CSV must
/// equal a single-process run of the same sweep byte for byte.
@Suite(.serialized) struct SlurmTests {
    @Test(.enabled(if: slurmWanted, "Slurm is not installed here (scripts/slurm/local-cluster.sh start installs it; CI always runs this test)"),
          .timeLimit(.minutes(10)))
    func aJobArrayOfShardsMergesIntoTheSingleRunTable() throws {
        let root = ShellHarness.packageRoot
        let dir = try ShellHarness.temporaryDirectory()
        let recipe = root.appendingPathComponent("Tests/ShellTests/Fixtures/tiny_sweep.lua").path
        let whole = dir.appendingPathComponent("whole.csv").path
        let single = try ShellHarness.run([recipe, "--out", whole, "--quiet"])
        try #require(single.status == 0, "single run failed: \(single.stderr)")

        let slurmDir = dir.appendingPathComponent("slurm").path
        let cluster = ["RALLY_SLURM_DIR": slurmDir, "SLURM_CONF": slurmDir + "/slurm.conf"]
        let bash = URL(fileURLWithPath: "/bin/bash")
        let start = try ShellHarness.run([root.appendingPathComponent("scripts/slurm/local-cluster.sh").path, "start"],
                                         executable: bash, environment: cluster)
        defer { _ = try? ShellHarness.run([root.appendingPathComponent("scripts/slurm/local-cluster.sh").path, "stop"], executable: bash, environment: cluster) }
        try #require(start.status == 0, "the local Slurm cluster did not start:\n\(start.stdout)\n\(start.stderr)")

        let out = dir.appendingPathComponent("array").path
        let submit = try ShellHarness.run([root.appendingPathComponent("scripts/slurm/submit.sh").path, "--wait", "4", out, recipe],
                                          executable: bash, environment: cluster.merging(["RALLY_SHELL": ShellHarness.shell.path]) { $1 })
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: out))?.filter { $0.hasSuffix(".out") }.sorted()
            .map { name in "--- \(name)\n" + ((try? String(contentsOfFile: out + "/" + name, encoding: .utf8)) ?? "") }.joined(separator: "\n") ?? ""
        try #require(submit.status == 0, "submit.sh failed:\n\(submit.stdout)\n\(submit.stderr)\n\(logs)")
        #expect(submit.stdout.contains("array job ") && submit.stdout.contains("merge job "), "\(submit.stdout)")
        for i in 1...4 { #expect(FileManager.default.fileExists(atPath: "\(out)/shard_\(i).json"), "shard \(i)'s file\n\(logs)") }
        let merged = try String(contentsOfFile: out + "/sweep.csv", encoding: .utf8)
        let expected = try String(contentsOfFile: whole, encoding: .utf8)
        #expect(merged == expected, "merged CSV differs from the single run\n\(logs)")
    }
}
