using System.Reflection.Metadata;
using System.Runtime.Loader;
using Graphport.Analysis;
using Graphport.Tests.Analysis.Subjects;

namespace Graphport.Tests.Analysis;

public sealed class ILMethodBodyTests
{
    [Fact]
    public void Metadata_and_reflection_sources_decode_the_same_instructions_and_regions()
    {
        var forward = typeof(UsesUsingForeachAndLock).GetMethod("Forward")!;
        var resolver = new TokenResolver(forward);

        var fromFile = ILMethodBody.TryLoad(forward, resolver)!;
        var fromReflection = ILMethodBody.FromReflectionOnly(forward, resolver)!;

        Assert.Equal(fromReflection.Instructions.Select(i => (i.Offset, i.OpCode, i.Operand)), fromFile.Instructions.Select(i => (i.Offset, i.OpCode, i.Operand)));
        Assert.Equal(fromReflection.Regions.ToArray(), fromFile.Regions.ToArray());
        Assert.Equal(3, fromFile.Regions.Length);
        Assert.All(fromFile.Regions, r => Assert.Equal(ExceptionRegionKind.Finally, r.Kind));
    }

    [Fact]
    public void Switch_targets_are_decoded_as_absolute_offsets_of_real_instructions()
    {
        var forward = typeof(ScalarDecidesSwitch).GetMethod("Forward")!;
        var body = ILMethodBody.TryLoad(forward, new TokenResolver(forward))!;
        var offsets = body.Instructions.Select(i => i.Offset).ToHashSet();

        var branches = body.Instructions.Where(i => i.Targets.Length > 0).ToList();

        Assert.Contains(branches, b => b.OpCode == ILOpCode.Switch && b.Targets.Length == 3);
        Assert.All(branches.SelectMany(b => b.Targets), target => Assert.Contains(target, offsets));
    }

    [Fact]
    public void Methods_without_IL_have_no_body()
    {
        var invoke = typeof(Func<int>).GetMethod("Invoke")!;
        var abstractForward = typeof(Fakes.FakeModule<int, int>).GetMethod("Forward")!;

        Assert.Null(ILMethodBody.TryLoad(invoke, new TokenResolver(invoke)));
        Assert.Null(ILMethodBody.TryLoad(abstractForward, new TokenResolver(abstractForward)));
    }

    [Fact]
    public void Assemblies_loaded_from_bytes_are_inspected_through_reflection_and_breaks_carry_no_location()
    {
        // Loaded from a stream, the assembly has no file: no PE image to map and no PDB beside it.
        var context = new AssemblyLoadContext("strict-export-in-memory", isCollectible: true);
        try
        {
            var bytes = File.ReadAllBytes(typeof(TensorInIf).Assembly.Location);
            var copy = context.LoadFromStream(new MemoryStream(bytes));
            var forward = copy.GetType(typeof(TensorInIf).FullName!)!.GetMethod("Forward")!;

            var found = Assert.Single(GraphBreakFinder.Find(forward, Fakes.FakePolicy.Instance));

            Assert.Equal(GraphBreakKind.DataDependentControlFlow, found.Kind);
            Assert.Null(found.Location);
            Assert.Equal(found.Message, found.ToString());
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void Inspecting_a_collectible_assembly_does_not_keep_it_loaded()
    {
        var unloaded = InspectInCollectibleContext();
        for (var i = 0; i < 20 && unloaded.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(unloaded.IsAlive, "the analysis caches must hold assemblies weakly");
    }

    // Separate, non-inlined frame so no local keeps the context reachable while the test collects.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference InspectInCollectibleContext()
    {
        var context = new AssemblyLoadContext("strict-export-unload", isCollectible: true);
        var copy = context.LoadFromStream(new MemoryStream(File.ReadAllBytes(typeof(TensorInIf).Assembly.Location)));
        var forward = copy.GetType(typeof(ParentWithChild).FullName!)!.GetMethod("Forward")!;
        Assert.Single(GraphBreakFinder.Find(forward, Fakes.FakePolicy.Instance));
        context.Unload();
        return new WeakReference(context);
    }
}
