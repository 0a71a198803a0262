using Graphport.Grains;
using Graphport.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Graphport.Cluster.Tests.Storage;

/// <summary>
/// ProgramGrain state written before uploads could give an origin (ProgramProvenance without Id 6) still loads:
/// the missing field reads as no origin, and everything else as it was written.
/// </summary>
public sealed class ProgramStateCompatibilityTests : IDisposable
{
    private readonly TempDirectory folder = new("graphport-state");
    private readonly ServiceProvider services = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(ProgramState).Assembly).AddAssembly(typeof(ProgramStateCompatibilityTests).Assembly))
        .BuildServiceProvider();
    private static readonly GrainId Grain = GrainId.Create("program", "resnet18");

    private LocalFolderGrainStorage NewStorage() => new("graphport", new LocalFolderGrainStorageOptions { RootDirectory = folder.Path },
        new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()), NullLogger<LocalFolderGrainStorage>.Instance);

    public void Dispose()
    {
        services.Dispose();
        folder.Dispose();
    }

    private static ProgramVersionInfo Info(int version, ProgramVersionKind kind, string origin) =>
        new("resnet18", version, kind, origin, DateTimeOffset.UnixEpoch, 3, 5, [new ProgramInputInfo("x", "float32", ["s0", "3"])], [], 2, 60);

    private static ProgramPayload Payload(string graph) => new(Pt2ProgramCodec.FormatName, graph, graph + "-text", []);

    [Fact]
    public async Task Program_state_written_before_upload_origins_loads_with_no_origin()
    {
        var previous = new PreviousProgramState
        {
            Versions =
            [
                new(Info(1, ProgramVersionKind.Exported, "zoo:resnet18 (batch 2, strict)"), Payload("sha256:aa"),
                    new PreviousProvenance("zoo:resnet18", null, 2, true, [], "batch-1/resnet18")),
                new(Info(2, ProgramVersionKind.Uploaded, "uploaded"), Payload("sha256:bb"),
                    new PreviousProvenance(ProgramProvenance.UploadSource, null, 0, false, [], null)),
            ],
        };
        await NewStorage().WriteStateAsync("program", Grain, new GrainState<PreviousProgramState>(previous));

        var read = new GrainState<ProgramState>(new ProgramState());
        await NewStorage().ReadStateAsync("program", Grain, read);

        Assert.True(read.RecordExists);
        var versions = read.State!.Versions;
        Assert.Equal([1, 2], versions.Select(v => v.Info.Version));
        Assert.Equal(["zoo:resnet18 (batch 2, strict)", "uploaded"], versions.Select(v => v.Info.Origin));
        Assert.Equal("batch-1/resnet18", versions[0].Provenance.RequestKey);
        Assert.All(versions, v => Assert.Null(v.Provenance.Origin));
        Assert.Equal("uploaded", versions[1].Provenance.Describe());
        Assert.Equal("sha256:bb", versions[1].Payload.GraphBlobId);
        Assert.Equal("x: float32[s0, 3]", Assert.Single(versions[1].Info.Inputs).ToString());
    }
}

/// <summary>ProgramProvenance as it was before Id 6 (Origin) was added.</summary>
[GenerateSerializer, Immutable, Alias("Graphport.Tests.PreviousProvenance")]
public sealed record PreviousProvenance(
    [property: Id(0)] string Source,
    [property: Id(1)] ExportInput[]? Inputs,
    [property: Id(2)] long ExampleBatch,
    [property: Id(3)] bool Strict,
    [property: Id(4)] string[] Tables,
    [property: Id(5)] string? RequestKey = null);

/// <summary>StoredProgramVersion holding the earlier provenance.</summary>
[GenerateSerializer, Immutable, Alias("Graphport.Tests.PreviousStoredVersion")]
public sealed record PreviousStoredVersion(
    [property: Id(0)] ProgramVersionInfo Info,
    [property: Id(1)] ProgramPayload Payload,
    [property: Id(2)] PreviousProvenance Provenance);

/// <summary>ProgramState of the earlier shape.</summary>
[GenerateSerializer, Alias("Graphport.Tests.PreviousProgramState")]
public sealed class PreviousProgramState
{
    [Id(0)]
    public List<PreviousStoredVersion> Versions { get; set; } = [];
}
