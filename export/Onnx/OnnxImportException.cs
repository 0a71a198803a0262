namespace Graphport.Onnx;

/// <summary>
/// An ONNX model that cannot be read or imported: not an ONNX file, an op or attribute value Graphport does not
/// support, shapes that do not fit. The message names the file, the node (name and op type) and the fix.
/// </summary>
public sealed class OnnxImportException(string message, Exception? inner = null) : ExportException(message, inner);
