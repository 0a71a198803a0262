using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Graphport.Serialization;

/// <summary>
/// How the archive's JSON records are written: compact UTF-8 with only the escapes JSON requires (the default
/// encoder also escapes quotes and '+' as \u0022 and \u002B for HTML pages, which these files never are).
/// </summary>
internal static class JsonText
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Of(JsonNode node) => node.ToJsonString(Options);
}
