using Graphport.Zoo;

namespace Graphport.Grains;

/// <summary>Checks a zoo batch request and resolves its model list ("every model" when empty).</summary>
public static class ZooRequests
{
    public const long MaxRunBatch = 64;
    public const int MaxParallelLimit = 16;

    public static string[] Models(ZooExportRequest request)
    {
        if (request is null) throw Invalid("The zoo request is empty.");
        var known = ModelZoo.All.Select(m => m.Name).ToList();
        if (request.Models is null or { Length: 0 }) return [.. known];
        var unknown = request.Models.Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0) throw new GraphportException(GraphportErrorKind.NotFound, $"No zoo model named {string.Join(", ", unknown.Select(u => $"'{u}'"))}. Models: {string.Join(", ", known)}.");
        if (request.Models.Distinct().Count() != request.Models.Length) throw Invalid("The zoo request names a model twice.");
        return request.Models;
    }

    public static void Validate(ZooExportRequest request)
    {
        Models(request);
        if (request.ExampleBatch < 2 || request.ExampleBatch > ProgramBuilder.MaxExampleBatch)
            throw Invalid($"The example batch must be between 2 and {ProgramBuilder.MaxExampleBatch}; got {request.ExampleBatch}.");
        if (request.RunBatch < 1 || request.RunBatch > MaxRunBatch)
            throw Invalid($"The run batch must be between 1 and {MaxRunBatch}; got {request.RunBatch}.");
        if (!(request.Tolerance > 0) || double.IsInfinity(request.Tolerance))
            throw Invalid($"The tolerance must be a positive number; got {request.Tolerance}.");
        if (request.MaxParallel < 1 || request.MaxParallel > MaxParallelLimit)
            throw Invalid($"MaxParallel must be between 1 and {MaxParallelLimit}; got {request.MaxParallel}.");
    }

    private static GraphportException Invalid(string message) => new(GraphportErrorKind.InvalidRequest, message);
}
