using Graphport.Graphs;

namespace Graphport.ExportDB.Tests;

/// <summary>
/// Each case does what its support level claims, checked by running it: a supported case exports and its
/// program answers like the eager module on every input it lists; an unsupported one is refused with an
/// ExportException (a user error that says why), never with an unrelated exception.
/// </summary>
public class CaseBehaviourTests
{
    [Theory]
    [MemberData(nameof(CaseData.Supported), MemberType = typeof(CaseData))]
    public void A_supported_case_exports_and_its_program_computes_what_the_module_computes(string name)
    {
        var run = Exported(name);
        foreach (var inputs in ExampleAndExtraInputs(run))
            AssertSameResults(run, inputs, run.Program!);
    }

    [Theory]
    [MemberData(nameof(CaseData.Supported), MemberType = typeof(CaseData))]
    public void A_supported_case_still_computes_the_same_after_decomposing_to_core_aten(string name)
    {
        var run = Exported(name);
        var decomposed = run.Program!.RunDecompositions();
        foreach (var inputs in ExampleAndExtraInputs(run))
            AssertSameResults(run, inputs, decomposed);
    }

    [Theory]
    [MemberData(nameof(CaseData.WithRejectedInputs), MemberType = typeof(CaseData))]
    public void A_program_refuses_inputs_outside_what_it_was_exported_for(string name)
    {
        var run = Exported(name);
        foreach (var inputs in run.RejectedInputs())
        {
            var error = Record.Exception(() => run.RunExported(inputs));
            Assert.True(error is ArgumentException or NodeExecutionException,
                $"{name}: the program accepted ({string.Join(", ", inputs.Select(ValueText.Describe))}) although it was not exported for it" +
                (error is null ? "." : $"; it threw {error.GetType().Name} instead of refusing: {error.Message}"));
        }
    }

    [Theory]
    [MemberData(nameof(CaseData.NotSupportedYet), MemberType = typeof(CaseData))]
    public void An_unsupported_case_is_refused_with_an_export_exception(string name)
    {
        var run = ExportDb.Run(ExportDb.Get(name));
        Assert.False(run.Succeeded, $"{name} exported although it is marked NotSupportedYet; mark it Supported.");
        Assert.True(run.Error is ExportException, $"{name} failed with {run.Error!.GetType().FullName} instead of an ExportException: {run.Error.Message}");
    }

    private static ExportDbRun Exported(string name)
    {
        var run = ExportDb.Run(ExportDb.Get(name));
        Assert.True(run.Succeeded, $"{name} did not export: {run.Error?.GetType().Name}: {run.Error?.Message}");
        return run;
    }

    private static IEnumerable<object?[]> ExampleAndExtraInputs(ExportDbRun run) => [run.ExampleInputs(), .. run.ExtraInputs()];

    /// <summary>
    /// Runs the program first, then the module, each on its own copy of the inputs: the program starts from the
    /// module's state as it is, and both copies must end equal too (input mutations are written back).
    /// </summary>
    private static void AssertSameResults(ExportDbRun run, object?[] inputs, ExportedProgram program)
    {
        var programInputs = ArgumentCopier.Copy(inputs);
        var eagerInputs = ArgumentCopier.Copy(inputs);
        var actual = run.RunExported(programInputs, program);
        var expected = run.RunEager(eagerInputs);
        SameOutputs.Assert(expected, actual);
        SameOutputs.Assert(eagerInputs, programInputs, "inputs after the call");
    }
}
