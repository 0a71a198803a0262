namespace Graphport.Graphs;

/// <summary>
/// The torch.vmap calls torch.export's training IR records where a model vmaps a function (torch's generic
/// associative_scan does, which Mamba's CPU path runs): the batch level opened and closed, a tensor's dim made the
/// batch dim, and the batch dim put back. They exist only between loading an archive and <see cref="VmapLowering"/>,
/// which rewrites the region into plain ops; nothing runs them.
/// </summary>
public sealed class VmapTarget
{
    private const string Prefix = "torch._functorch.predispatch.";

    private VmapTarget(string name) => Name = Prefix + name;

    /// <summary>The target as torch serializes it ("torch._functorch.predispatch._add_batch_dim").</summary>
    public string Name { get; }

    public static readonly VmapTarget LazyLoadDecompositions = new("lazy_load_decompositions");

    /// <summary>_vmap_increment_nesting(batch_size, randomness): opens a vmap level.</summary>
    public static readonly VmapTarget IncrementNesting = new("_vmap_increment_nesting");

    /// <summary>_vmap_decrement_nesting(): closes the innermost level.</summary>
    public static readonly VmapTarget DecrementNesting = new("_vmap_decrement_nesting");

    /// <summary>_add_batch_dim(tensor, in_dim, level): the tensor's in_dim becomes the level's batch dim.</summary>
    public static readonly VmapTarget AddBatchDim = new("_add_batch_dim");

    /// <summary>_remove_batch_dim(tensor, level, batch_size, out_dim): the batch dim comes back at out_dim.</summary>
    public static readonly VmapTarget RemoveBatchDim = new("_remove_batch_dim");

    private static readonly VmapTarget[] All = [LazyLoadDecompositions, IncrementNesting, DecrementNesting, AddBatchDim, RemoveBatchDim];

    public static VmapTarget? ByName(string name) => All.FirstOrDefault(t => t.Name == name);

    public override string ToString() => Name;
}
