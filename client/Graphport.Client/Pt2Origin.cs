using Graphport.Grains;

namespace Graphport.Client;

/// <summary>The origin an uploaded .pt2 file's program version records: "pt2:resnet18.pt2".</summary>
public static class Pt2Origin
{
    /// <summary>The file's name after "pt2:", made printable and cut to <see cref="UploadRequest.MaxOriginLength"/> (file names come from outside).</summary>
    public static string Of(string path) => UploadRequest.OriginFrom($"pt2:{Path.GetFileName(path)}") ?? "pt2";
}
