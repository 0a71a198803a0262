using static Graphport.Torch;

namespace Graphport.Tutorial;

public static class NonStrictExport
{
    public static void Run()
    {
        // Writes through .Data become a mutation of the input.
        var bad2NonStrict = Export(new Bad2(), [Randn(3, 3)], strict: false);
        Console.WriteLine(bad2NonStrict.Module().Call(Ones(3, 3)));
        Console.WriteLine();

        // The identity-derived value is baked into the graph as a constant.
        var bad3NonStrict = Export(new Bad3(), [Randn(3, 3)], strict: false);
        Console.WriteLine(bad3NonStrict);
        Console.WriteLine(bad3NonStrict.Module().Call(Ones(3, 3)));
        Console.WriteLine();

        // try/catch runs as ordinary C# while tracing; only the path taken is recorded.
        var bad4NonStrict = Export(new Bad4(), [Randn(3, 3)], strict: false);
        Console.WriteLine(bad4NonStrict.Module().Call(Ones(3, 3)));
    }
}
