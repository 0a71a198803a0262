using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Graphport.Grains;

/// <summary>
/// One export job: traces the source on the thread pool (export is CPU work and the tracer is per thread), stores
/// the program's blobs, then appends the version to its ProgramGrain. Engine errors reach the caller whole.
/// </summary>
public sealed class ExportGrain(ProgramBuilder builder, ProgramStore store, ILogger<ExportGrain> logger) : Grain, IExportGrain
{
    private ExportResult? result;

    public async Task<ExportResult> ExportAsync(ExportRequest request)
    {
        if (result is not null) return result;
        try
        {
            if (request is null) throw new GraphportException(GraphportErrorKind.InvalidRequest, "The export request is empty.");
            builder.Validate(request);
            string name = request.ProgramName ?? request.Source[(request.Source.IndexOf(':', StringComparison.Ordinal) + 1)..];
            if (!ProgramRef.IsValidName(name))
                throw new GraphportException(GraphportErrorKind.InvalidRequest, ProgramRef.InvalidNameMessage(name));

            if (request.RequestKey is { } key && (key.Length is 0 or > 200 || key.Any(char.IsControl)))
                throw new GraphportException(GraphportErrorKind.InvalidRequest, "RequestKey must be 1-200 printable characters (e.g. \"BATCH/MODEL\"), or null for an export that always stores a new version.");
            if (request.RequestKey is { } requestKey
                && await GrainFactory.GetGrain<IProgramGrain>(name).FindRequestAsync(requestKey) is { } earlier)
            {
                logger.LogInformation("Export {Key} was stored before as {Program}; not exporting again", requestKey, earlier.Ref);
                result = new ExportResult(earlier.Ref, earlier, 0);
                return result;
            }
            using var activity = GraphportTelemetry.Grains.StartActivity("export_program");
            activity?.SetTag("graphport.source", request.Source);
            activity?.SetTag("graphport.program", name);
            var provenance = ProgramProvenance.ForExport(request);
            var watch = Stopwatch.StartNew();
            var built = await Task.Run(() => builder.Build(provenance));
            double exportMs = watch.Elapsed.TotalMilliseconds;
            logger.LogInformation("Exported {Source} in {Ms:F0} ms ({Nodes} nodes)", request.Source, exportMs, built.Program.Graph.Nodes.Count);

            var payload = await store.SaveAsync(built.Program, provenance);
            var draft = ProgramSummary.Describe(built.Program, ProgramVersionKind.Exported, provenance.Describe());
            var info = await GrainFactory.GetGrain<IProgramGrain>(name).AddVersionAsync(draft, payload, provenance);
            store.Remember(info.Ref, payload, built.Program);
            activity?.SetTag("graphport.version", info.Version);
            result = new ExportResult(info.Ref, info, exportMs);
            return result;
        }
        catch (Exception e)
        {
            logger.LogInformation("Export of {Source} failed: {Message}", request?.Source, e.Message);
            throw EngineErrors.FromExport(e);
        }
    }

    public Task<ExportResult> UploadAsync(string programName, byte[] pt2Archive) => UploadAsync(new UploadRequest(programName, pt2Archive));

    public async Task<ExportResult> UploadAsync(UploadRequest request)
    {
        if (result is not null) return result;
        if (request is null) throw new GraphportException(GraphportErrorKind.InvalidRequest, "The upload request is empty.");
        string programName = request.ProgramName;
        if (!ProgramRef.IsValidName(programName))
            throw new GraphportException(GraphportErrorKind.InvalidRequest, ProgramRef.InvalidNameMessage(programName));
        if (request.Archive is not { Length: > 0 } archive)
            throw new GraphportException(GraphportErrorKind.InvalidRequest, "The uploaded archive is empty; send the bytes ExportedProgram.Save(stream) writes.");
        if (UploadRequest.OriginProblem(request.Origin) is { } problem)
            throw new GraphportException(GraphportErrorKind.InvalidRequest, problem);
        using var activity = GraphportTelemetry.Grains.StartActivity("upload_program");
        activity?.SetTag("graphport.program", programName);
        activity?.SetTag("graphport.origin", request.Origin);
        var watch = Stopwatch.StartNew();
        var program = await Task.Run(() => Pt2ProgramCodec.Read(archive, $"The archive uploaded as '{programName}'", GraphportErrorKind.InvalidRequest));
        double loadMs = watch.Elapsed.TotalMilliseconds;
        var provenance = ProgramProvenance.ForUpload(request.Origin);
        var payload = await store.SaveAsync(program, provenance);
        var draft = ProgramSummary.Describe(program, ProgramVersionKind.Uploaded, provenance.Describe());
        var info = await GrainFactory.GetGrain<IProgramGrain>(programName).AddVersionAsync(draft, payload, provenance);
        store.Remember(info.Ref, payload, program);
        logger.LogInformation("Stored uploaded {Program} from {Origin} ({Bytes} bytes)", info.Ref, info.Origin, archive.Length);
        result = new ExportResult(info.Ref, info, loadMs);
        return result;
    }
}
