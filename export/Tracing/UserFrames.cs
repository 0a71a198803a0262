using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Graphport.Graphs;

namespace Graphport.Tracing;

/// <summary>Finds the innermost frame of user code on the current stack (skipping the engine and the BCL).</summary>
internal static class UserFrames
{
    private static readonly Assembly Engine = typeof(UserFrames).Assembly;
    private static readonly ConcurrentDictionary<string, string[]?> Files = new();

    public static SourceFrame? Current()
    {
        var trace = new StackTrace(2, fNeedFileInfo: true);
        foreach (var frame in trace.GetFrames())
        {
            var method = frame.GetMethod();
            if (method is null) continue;
            var assembly = method.DeclaringType?.Assembly ?? method.Module.Assembly;
            if (assembly == Engine || IsFramework(assembly)) continue;
            string? file = frame.GetFileName();
            int line = frame.GetFileLineNumber();
            if (file is null || line == 0) continue;
            return new SourceFrame(file, line, MethodName(method), ReadLine(file, line));
        }
        return null;
    }

    public static bool IsFramework(Assembly assembly)
    {
        string name = assembly.GetName().Name ?? "";
        return name.StartsWith("System", StringComparison.Ordinal) || name.StartsWith("Microsoft", StringComparison.Ordinal)
            || name is "mscorlib" or "netstandard" || name.StartsWith("xunit", StringComparison.Ordinal);
    }

    /// <summary>"MyModule.Forward"; compiler-generated lambda names become "Outer.Method.&lt;lambda&gt;".</summary>
    public static string MethodName(MethodBase method)
    {
        var type = method.DeclaringType;
        string typeName = type?.Name ?? "";
        while (type is not null && type.Name.StartsWith('<') && type.DeclaringType is not null)
        {
            type = type.DeclaringType;
            typeName = type.Name;
        }
        string name = method.Name;
        if (name.StartsWith('<'))
        {
            int close = name.IndexOf('>');
            name = close > 1 ? name[1..close] + ".<lambda>" : name;
        }
        int tick = typeName.IndexOf('`');
        if (tick > 0) typeName = typeName[..tick];
        return typeName.Length == 0 ? name : $"{typeName}.{name}";
    }

    public static string? ReadLine(string file, int line)
    {
        var lines = Files.GetOrAdd(file, f =>
        {
            try { return File.Exists(f) ? File.ReadAllLines(f) : null; }
            catch (IOException) { return null; }
            catch (UnauthorizedAccessException) { return null; }
        });
        return lines is not null && line >= 1 && line <= lines.Length ? lines[line - 1].Trim() : null;
    }
}
