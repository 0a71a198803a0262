using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Graphport.Cli;

/// <summary>
/// The JSON settings every --json output shares: camelCase names, enums in torch's UPPER_SNAKE spelling
/// (NOT_SUPPORTED_YET), indented, and source code left readable (no \u003C for '&lt;'): the output goes to
/// people and scripts, never into HTML.
/// </summary>
public static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
