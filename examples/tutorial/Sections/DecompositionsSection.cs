using static Graphport.Torch;

namespace Graphport.Tutorial;

public static class DecompositionsSection
{
    public static void Run()
    {
        Console.WriteLine(Ops["aten::add.Tensor"].Schema.IsMutable);
        Console.WriteLine(Ops["aten::add_.Tensor"].Schema.IsMutable);
        Console.WriteLine();

        // The default table decomposes to the Core ATen opset: aten.t becomes aten.permute.
        var ep = Export(new M(), [Randn(2, 3)]);
        Console.WriteLine(ep.Graph);
        var coreIrEp = ep.RunDecompositions();
        Console.WriteLine(coreIrEp.Graph);
        Console.WriteLine();

        // Or only the decompositions of chosen ops.
        var decompTable = Decompositions.Get("aten::t", "aten::transpose.int");
        Console.WriteLine(ep.RunDecompositions(decompTable).Graph);
    }
}
