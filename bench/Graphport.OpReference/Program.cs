using Graphport.OpReference;

// Writes OUT_DIR/op_cases.json (Core ATen op calls with our CPU kernels' results) and OUT_DIR/ours/ (programs saved
// as .pt2 with their inputs and our outputs), which the GPU machine's PyTorch checks: bench/torch/op_reference.py and
// bench/torch/load_ours.py. See bench/torch/README.md.
if (args.Length != 1 || args[0].StartsWith('-'))
{
    Console.Error.WriteLine("usage: dotnet run --project bench/Graphport.OpReference -- OUT_DIR");
    return 2;
}

string outDir = args[0];
Directory.CreateDirectory(outDir);

string casesPath = Path.Combine(outDir, "op_cases.json");
var (ops, cases, errors) = OpCaseWriter.Write(casesPath);
Console.WriteLine($"wrote {casesPath}: {cases} cases of {ops} ops ({errors} raised in our kernels), {new FileInfo(casesPath).Length / 1024} KiB");

string programsDir = Path.Combine(outDir, "ours");
var (written, failed) = ProgramWriter.Write(programsDir);
long bytes = Directory.EnumerateFiles(programsDir).Sum(f => new FileInfo(f).Length);
Console.WriteLine($"wrote {written} programs to {programsDir}, {bytes / 1024} KiB");
foreach (var failure in failed) Console.Error.WriteLine($"program not written: {failure}");
return failed.Count == 0 ? 0 : 1;
