using Orleans.Metadata;
using Orleans.Placement;
using Orleans.Runtime;

namespace Graphport.Grains;

/// <summary>The filter's settings (key and value), carried in the grain type's properties to every silo.</summary>
public sealed class PreferSiloMetadataFilterStrategy(string key, string value, int order) : PlacementFilterStrategy(order)
{
    private const string KeyProperty = "key";
    private const string ValueProperty = "value";

    /// <summary>For the filter registry, which creates strategies before reading their properties.</summary>
    public PreferSiloMetadataFilterStrategy() : this("", "", 0)
    {
    }

    public string Key { get; private set; } = key;

    public string Value { get; private set; } = value;

    public override void AdditionalInitialize(GrainProperties properties)
    {
        Key = GetPlacementFilterGrainProperty(KeyProperty, properties)
            ?? throw new ArgumentException($"The {nameof(PreferSiloMetadataAttribute)} of grain type {properties} lost its '{KeyProperty}' property.");
        Value = GetPlacementFilterGrainProperty(ValueProperty, properties)
            ?? throw new ArgumentException($"The {nameof(PreferSiloMetadataAttribute)} of grain type {properties} lost its '{ValueProperty}' property.");
    }

    protected override IEnumerable<KeyValuePair<string, string>> GetAdditionalGrainProperties(
        IServiceProvider services, Type grainClass, GrainType grainType, IReadOnlyDictionary<string, string> existingProperties)
    {
        yield return new(KeyProperty, Key);
        yield return new(ValueProperty, Value);
    }
}
