using Graphport.GpuBench;
using Graphport.GpuBench.Summary;

// The GPU bench (bench/gpu/README.md). Usage:
//   Graphport.GpuBench run OUTDIR [--quick] [--phase device,programs,bandwidth,ops,zoo,executor,onnx,profile,fault] [--onnx-dir DIR] [--budget-s N] [--runs N] [--warmup N] [--resume]
//   Graphport.GpuBench summarize RESULTSDIR [EARLIER_RESULTSDIR...] [--out bench/RESULTS-gpu.md]
const string Usage = """
    usage:
      Graphport.GpuBench run OUTDIR [--quick] [--phase LIST] [--budget-s N] [--runs N] [--warmup N] [--onnx-dir DIR] [--resume]
          phases (comma-separated, default all, in this order): device, programs, bandwidth, ops, zoo, executor, onnx, profile, fault
          (fault stores through a null pointer on the device: the process's CUDA context is lost after it)
          --onnx-dir DIR: the real ONNX models (default: onnx/ beside the app)
          --resume: the zoo phase keeps the models OUTDIR/zoo.json already has (after a lost CUDA context)
          exit code: 0 all phases done, 1 a phase failed, 3 a kernel fault lost the CUDA context (run again with --resume)
      Graphport.GpuBench summarize RESULTSDIR [EARLIER_RESULTSDIR...] [--out FILE]
          RESULTSDIR: what a device run sent back (results.tgz and steps.json) or a folder `run` wrote;
          earlier runs fill in files the latest lacks, and their PyTorch timings are merged;
          FILE defaults to bench/RESULTS-gpu.md in the repository above the current folder
    """;

if (args.Length < 2 || args[0] is not ("run" or "summarize"))
{
    Console.Error.WriteLine(Usage);
    return 2;
}
try
{
    return args[0] == "run" ? BenchRun.Run(RunOptions.Parse(args[1..])) : Summarizer.Run(SummarizeOptions.Parse(args[1..]));
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}
