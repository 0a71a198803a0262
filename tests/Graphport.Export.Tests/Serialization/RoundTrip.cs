namespace Graphport.Tests.Serialization;

/// <summary>Saves a program, loads it back, and checks that nothing observable changed.</summary>
internal static class RoundTrip
{
    public static ExportedProgram SaveAndLoad(ExportedProgram ep, string name = "model.pt2")
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor(name);
        ep.Save(path);
        return ExportedProgram.Load(path);
    }

    /// <summary>Printed program, signature, ranges and state must be identical; running must give equal results.</summary>
    public static ExportedProgram AssertExact(ExportedProgram ep, params Func<object?[]>[] inputs)
    {
        var loaded = SaveAndLoad(ep);
        Assert.Equal(ep.ToString(), loaded.ToString());
        Assert.Equal(ep.Graph.ToString(), loaded.Graph.ToString());
        Assert.Equal(ep.GraphSignature.ToString(), loaded.GraphSignature.ToString());
        Assert.Equal(ep.RangeConstraints.ToString(), loaded.RangeConstraints.ToString());
        Assert.Equal(ep.StateDict.Keys, loaded.StateDict.Keys);
        foreach (var (name, tensor) in ep.StateDict) TensorAssert.BitIdentical(tensor, loaded.StateDict[name], name);
        Assert.Equal(ep.Constants.Keys, loaded.Constants.Keys);
        foreach (var (name, tensor) in ep.Constants) TensorAssert.BitIdentical(tensor, loaded.Constants[name], name);
        Assert.Equal(ep.CallSignature.ArgumentNames, loaded.CallSignature.ArgumentNames);
        Assert.Equal(ep.CallSignature.InputTrees, loaded.CallSignature.InputTrees, TreeEquality.Instance);
        Assert.Equal(ep.CallSignature.OutputTree, loaded.CallSignature.OutputTree, TreeEquality.Instance);
        foreach (var make in inputs)
        {
            var expected = ep.Module().Invoke(make());
            var actual = loaded.Module().Invoke(make());
            ResultAssert.Equal(expected, actual);
        }
        return loaded;
    }
}
