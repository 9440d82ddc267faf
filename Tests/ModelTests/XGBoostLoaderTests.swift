import Testing
@testable import RallyEngine

/// XGBoost is loaded at rally's first call into it (CXGBoost's loader); these load other
/// libraries through the same steps, into a loader state of their own, so the process's XGBoost
/// is untouched. rally-shell without a usable libxgboost.so.0: ShellTests' `MissingXGBoostTests`.
@Suite struct XGBoostLoaderTests {
    @Test func aMissingLibraryIsNamedWithTheLoadersReason() throws {
        let failure = try #require(XGBoost.loadFailure(library: "librally-no-such-library.so.0"))
        #expect(failure == "cannot load librally-no-such-library.so.0: librally-no-such-library.so.0: cannot open shared object file: No such file or directory")
        let error = XGBoost.error("create a booster", message: failure)
        #expect(error.message == "gbdt: XGBoost failed to create a booster: \(failure)")
    }

    @Test func aLibraryWithoutXGBoostsFunctionsNamesTheFirstMissing() throws {
        // libm is loaded in every Swift process, and has none of XGBoost's functions
        let failure = try #require(XGBoost.loadFailure(library: "libm.so.6"))
        #expect(failure.hasPrefix("cannot load function XGBoostVersion from libm.so.6: "))
        #expect(failure.hasSuffix("undefined symbol: XGBoostVersion"))
    }

    @Test func theRealLibraryLoadsWithEveryFunction() {
        #expect(!XGBoost.version.hasPrefix("unavailable"), "\(XGBoost.version)") // loaded first, so the check below closes nothing
        #expect(XGBoost.loadFailure(library: "libxgboost.so.0") == nil)
    }
}
