using System.Collections.Concurrent;
using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The registry of known decompositions (torch._decomp): built-in ones for every non-core ATen op the engine
/// records, and any registered for custom ops. <see cref="Default"/> reaches the Core ATen opset.
/// </summary>
public static class Decompositions
{
    private static readonly ConcurrentDictionary<OpOverload, KernelFunction> Registered = new();
    private static readonly object BuiltinsGate = new();
    private static volatile bool builtinsLoaded;
    private static bool builtinsLoading;

    /// <summary>Registers the decomposition of an op (built-in or custom) so Default() and Get() include it.</summary>
    public static void Register(string op, KernelFunction decomposition) => Register(OpRegistry.Instance[op], decomposition);

    public static void Register(OpOverload op, KernelFunction decomposition)
    {
        if (op.IsCore) throw new ArgumentException($"{op.Name} is in the Core ATen opset; core ops are not decomposed by default. Add it to a table explicitly to decompose it.");
        Registered[op] = decomposition;
    }

    /// <summary>A fresh, editable table that decomposes every registered non-core op: RunDecompositions() then yields Core ATen.</summary>
    public static DecompositionTable Default()
    {
        EnsureBuiltins();
        var table = new DecompositionTable();
        foreach (var (op, d) in Registered) table[op] = d;
        return table;
    }

    /// <summary>A table with the decompositions of the given ops only (torch._decomp.get_decompositions); ops without one are skipped.</summary>
    public static DecompositionTable Get(params string[] ops)
    {
        EnsureBuiltins();
        var table = new DecompositionTable();
        foreach (var name in ops)
        {
            var op = OpRegistry.Instance[name];
            if (Registered.TryGetValue(op, out var d)) table[op] = d;
        }
        return table;
    }

    /// <summary>
    /// grid_sampler_2d, a Core ATen op, as gathers of the four pixels around each point (or the nearest one) and
    /// pointwise ops: for a backend without a sampler kernel (the CUDA backend puts it in its table). Bilinear and
    /// nearest sampling only; bicubic throws, so add it only where every sampler is one of those.
    /// </summary>
    public static KernelFunction GridSampler2dAsGathers { get; } = a => BuiltinDecompositions.GridSamplerAsGathers(a, 2);

    /// <summary>Registered already, without loading the built-ins (for the built-ins' own registration).</summary>
    internal static bool HasRegistered(OpOverload op) => Registered.ContainsKey(op);

    /// <summary>True when the op has a registered decomposition.</summary>
    public static bool Has(OpOverload op)
    {
        EnsureBuiltins();
        return Registered.ContainsKey(op);
    }

    // Concurrent first callers (grains decomposing in parallel) wait for the whole table: the flag is set only
    // after registration ends. The registering thread may re-enter through Has(); the loading flag lets it through.
    private static void EnsureBuiltins()
    {
        if (builtinsLoaded) return;
        lock (BuiltinsGate)
        {
            if (builtinsLoaded || builtinsLoading) return;
            builtinsLoading = true;
            try
            {
                BuiltinDecompositions.RegisterAll();
                builtinsLoaded = true;
            }
            finally
            {
                builtinsLoading = false;
            }
        }
    }
}
