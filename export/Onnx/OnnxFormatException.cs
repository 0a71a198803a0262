namespace Graphport.Onnx;

/// <summary>Bytes that do not decode as the protobuf messages of an ONNX model; OnnxModel turns it into a message naming the file.</summary>
internal sealed class OnnxFormatException(string message) : Exception(message);
