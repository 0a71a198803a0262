namespace Graphport.Grains;

/// <summary>
/// What to export: <see cref="Source"/> is "zoo:NAME" (a model of the zoo with its dynamic batch) or
/// "module:NAME" (a module registered on the silos, with <see cref="Inputs"/> describing its arguments).
/// The program is stored under <see cref="ProgramName"/>, by default the source's NAME. A <see cref="RequestKey"/>
/// makes the export idempotent: a second request with the same key (a retry, a batch resumed after a silo died)
/// returns the version the first one stored instead of storing another.
/// </summary>
[GenerateSerializer, Immutable, Alias("Graphport.ExportRequest")]
public sealed record ExportRequest(
    [property: Id(0)] string Source,
    [property: Id(1)] string? ProgramName = null,
    [property: Id(2)] ExportInput[]? Inputs = null,
    [property: Id(3)] long ExampleBatch = 2,
    [property: Id(4)] bool Strict = true,
    [property: Id(5)] string? RequestKey = null)
{
    public const string ZooPrefix = "zoo:";
    public const string ModulePrefix = "module:";

    public static ExportRequest Zoo(string model, string? programName = null, long exampleBatch = 2) =>
        new(ZooPrefix + model, programName, null, exampleBatch);

    public static ExportRequest Module(string module, ExportInput[] inputs, string? programName = null, bool strict = true) =>
        new(ModulePrefix + module, programName, inputs, Strict: strict);
}
