using Graphport.Grains;
using Graphport.Onnx;

namespace Graphport.Client;

/// <summary>The origin an imported ONNX model's program version records: "onnx:resnet18.onnx (pytorch 2.1, opset 17)".</summary>
public static class OnnxOrigin
{
    /// <summary>
    /// The file name, producer and opset on one printable line; when that is too long, just "onnx:FILE" cut to
    /// <see cref="UploadRequest.MaxOriginLength"/> (file names and producers are text from outside, so they are cleaned).
    /// </summary>
    public static string Of(string file, OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        string source = $"onnx:{Path.GetFileName(file)}";
        string producer = $"{model.ProducerName} {model.ProducerVersion}".Trim();
        string details = producer.Length > 0 ? $"{producer}, opset {model.Opset}" : $"opset {model.Opset}";
        string full = $"{source} ({details})";
        return UploadRequest.OriginFrom(full.Length <= UploadRequest.MaxOriginLength ? full : source) ?? source;
    }
}
