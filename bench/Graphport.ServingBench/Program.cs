using Graphport.Grains;
using Graphport.Client;

// Serving benchmark (issue 4, point 6). Usage:
//   dotnet run -c Release --project bench/Graphport.ServingBench -- [--model NAME] [--callers N] [--requests N] [--max-batch N] [--delay-ms N]
// Prints throughput and p50/p99 latency with batching off and on, and their ratios.
string model = "mlp";
int callers = 32, perCaller = 50, maxBatch = 32;
double delayMs = 2;
try
{
    for (int i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        switch (args[i])
        {
            case "--model": model = Next(); break;
            case "--callers": callers = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
            case "--requests": perCaller = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
            case "--max-batch": maxBatch = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
            case "--delay-ms": delayMs = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
            default: throw new ArgumentException($"Unknown option '{args[i]}'. Options: --model, --callers, --requests, --max-batch, --delay-ms.");
        }
    }
    if (callers < 1 || perCaller < 1 || maxBatch < 2) throw new ArgumentException("--callers and --requests must be at least 1, --max-batch at least 2.");
}
catch (FormatException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

#if DEBUG
Console.Error.WriteLine("warning: Debug build; timings are only meaningful with -c Release.");
#endif
Console.WriteLine($"{model}: {callers} concurrent callers x {perCaller} batch-1 requests, {Environment.ProcessorCount} cores, one embedded silo");
var off = await ServingLoad.RunAsync("batching off", model, new BatchingOptions(), callers, perCaller);
var on = await ServingLoad.RunAsync($"batching on (max {maxBatch}, {delayMs} ms)", model,
    new BatchingOptions { MaxBatchSize = maxBatch, MaxQueueDelay = TimeSpan.FromMilliseconds(delayMs) }, callers, perCaller);

Console.WriteLine();
Console.WriteLine($"{"CONFIGURATION",-32} {"REQ/S",9} {"P50 MS",8} {"P99 MS",8} {"REQ/RUN",8}");
foreach (var r in new[] { off, on })
    Console.WriteLine($"{r.Label,-32} {r.Throughput,9:F0} {r.P50Ms,8:F2} {r.P99Ms,8:F2} {r.MeanBatch,8:F1}");
Console.WriteLine();
Console.WriteLine($"batching on / off: throughput x{on.Throughput / off.Throughput:F2}, p50 x{on.P50Ms / off.P50Ms:F2}, p99 x{on.P99Ms / off.P99Ms:F2}");
return 0;
