using Orleans.Placement;

namespace Graphport.Grains;

/// <summary>
/// Places a grain only on silos whose metadata has KEY=VALUE, or on any silo when none has it. Orleans' own
/// RequiredMatch filter compares with the placing silo's value instead, which cannot say "gpu must be true".
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PreferSiloMetadataAttribute(string key, string value, int order = 0)
    : PlacementFilterAttribute(new PreferSiloMetadataFilterStrategy(key, value, order));
