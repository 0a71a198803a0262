using Graphport.Cli;

// Serving benchmark (issue 4, point 6): the same run as `graphport bench`, built in Release here so the timings mean
// something. Usage:
//   dotnet run -c Release --project bench/Graphport.ServingBench -- [--model NAME] [--callers N] [--requests N] [--warmup N] [--max-batch N] [--delay-ms X] [--json]
// Prints throughput and p50/p99 latency with batching off and on, and their ratios; each configuration is first warmed
// with the same concurrent load (--warmup requests per caller, 20 by default), untimed.
#if DEBUG
Console.Error.WriteLine("warning: Debug build; timings are only meaningful with -c Release.");
#endif
return CliCommands.Dispatcher.Run(["bench", .. args], CommandContext.FromConsole());
