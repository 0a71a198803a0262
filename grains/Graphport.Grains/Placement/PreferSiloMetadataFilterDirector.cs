using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Graphport.Grains;

/// <summary>Keeps the silos whose metadata matches; when none does, keeps them all, so a CPU-only cluster still serves.</summary>
internal sealed class PreferSiloMetadataFilterDirector(ISiloMetadataCache cache) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var strategy = (PreferSiloMetadataFilterStrategy)filterStrategy;
        var all = silos.ToList();
        var matching = all.Where(s => cache.GetSiloMetadata(s).Metadata.TryGetValue(strategy.Key, out var v) && v == strategy.Value).ToList();
        return matching.Count > 0 ? matching : all;
    }
}
