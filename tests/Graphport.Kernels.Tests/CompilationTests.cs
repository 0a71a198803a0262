using Graphport.Kernels.Compilation;

namespace Graphport.Kernels.Tests;

public class CompilationTests
{
    [Fact]
    public void A_compile_error_quotes_the_generated_line_it_points_at()
    {
        var source = "#include \"graphport/prelude.cu\"\nextern \"C\" __global__ void k(float* o)\n{\n    o[0] = undefined_thing;\n}\n";
        var log = "graphport_s0_3.cu(4): error: identifier \"undefined_thing\" is undefined\n\n1 error detected in the compilation of \"graphport_s0_3.cu\".\n";
        var message = NvrtcCompileException.Explain("graphport_s0_3.cu", "sm_90", log, source, []);
        Assert.Contains("NVRTC could not compile graphport_s0_3.cu for sm_90", message, StringComparison.Ordinal);
        Assert.Contains("    4 |     o[0] = undefined_thing;", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_inside_a_graphport_header_quote_the_header_line()
    {
        var header = ("graphport/norm.cu", "line one\nline two\n");
        var message = NvrtcCompileException.Explain("m.cu", "sm_90", "graphport/norm.cu(2): error: bad\n", "x", [header]);
        Assert.Contains("2 | line two", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cache_keys_change_with_source_architecture_and_compiler()
    {
        string Key(string s, string a, string v) => KernelCache.Key(s, a, v, ["--std=c++17"]);
        var keys = new[] { Key("a", "sm_90", "13.0"), Key("b", "sm_90", "13.0"), Key("a", "sm_80", "13.0"), Key("a", "sm_90", "12.8") };
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.EndsWith("-sm_90.cubin", keys[0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_cache_compiles_once_then_serves_from_the_folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "graphport-cache-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            int compiles = 0;
            var random = new Random(9);
            var cubin = new byte[64];
            random.NextBytes(cubin);
            var first = new KernelCache(new LocalFolderBlobStore(folder));
            Assert.Equal(cubin, first.GetOrCompile("src", "sm_90", "13.0", [], () => { compiles++; return cubin; }));
            var second = new KernelCache(new LocalFolderBlobStore(folder));
            Assert.Equal(cubin, second.GetOrCompile("src", "sm_90", "13.0", [], () => { compiles++; return []; }));
            Assert.Equal(1, compiles);
            Assert.Equal(1, second.Hits);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_store_that_cannot_be_read_or_written_costs_a_compile_and_one_warning_per_kind_not_the_program()
    {
        var cubin = new byte[48];
        new Random(3).NextBytes(cubin);
        var warnings = new List<string>();
        var store = new FailingStore();
        var cache = new KernelCache(store, warnings.Add);
        int compiles = 0;

        for (int i = 0; i < 3; i++)
            Assert.Equal(cubin, cache.GetOrCompile($"src{i}", "sm_90", "13.0", [], () => { compiles++; return cubin; }));

        Assert.Equal(3, compiles);
        Assert.Equal((0, 3, 6), (cache.Hits, cache.Misses, cache.StoreFailures));
        Assert.Equal(2, warnings.Count);
        Assert.Equal("kernel cache: could not read FailingStore (IOException: storage account unreachable); kernels are compiled without it.", warnings[0]);
        Assert.StartsWith("kernel cache: could not write FailingStore (UnauthorizedAccessException: ", warnings[1], StringComparison.Ordinal);

        // Once the store answers again, what is compiled is kept and served.
        store.Fail = false;
        Assert.Equal(cubin, cache.GetOrCompile("src0", "sm_90", "13.0", [], () => { compiles++; return cubin; }));
        Assert.Equal(cubin, cache.GetOrCompile("src0", "sm_90", "13.0", [], () => { compiles++; return []; }));
        Assert.Equal((4, 1), (compiles, cache.Hits));
    }

    private sealed class FailingStore : IKernelBlobStore
    {
        private readonly Dictionary<string, byte[]> blobs = [];

        public bool Fail { get; set; } = true;

        public bool TryGet(string key, out byte[] blob)
        {
            if (Fail) throw new IOException("storage account unreachable");
            return blobs.TryGetValue(key, out blob!);
        }

        public void Put(string key, byte[] blob)
        {
            if (Fail) throw new UnauthorizedAccessException("the account key was rotated");
            blobs[key] = blob;
        }
    }

    [Fact]
    public void The_cuda_library_sources_are_embedded()
    {
        Assert.Equal(["graphport/prelude.cu", "graphport/pointwise.cu", "graphport/reduction.cu", "graphport/norm.cu", "graphport/conv.cu", "graphport/tiles.cu", "graphport/integer_matmul.cu", "graphport/grouped_matmul.cu", "graphport/sort.cu"], Codegen.CudaSources.Headers.Select(h => h.IncludeName));
        Assert.All(Codegen.CudaSources.Headers, h => Assert.Contains("namespace gp", h.Source, StringComparison.Ordinal));
    }

    [Fact]
    public void Reading_resources_out_of_something_that_is_not_a_cubin_says_so()
    {
        var error = Assert.Throws<ArgumentException>(() => CubinResources.Read(System.Text.Encoding.ASCII.GetBytes("// PTX, not an ELF file\n.version 8.0\n".PadRight(80))));
        Assert.Contains("Not a 64-bit ELF CUBIN", error.Message, StringComparison.Ordinal);
    }
}
