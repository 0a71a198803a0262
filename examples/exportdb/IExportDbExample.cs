namespace Graphport.ExportDB;

/// <summary>
/// Implemented by each example module so the catalog finds its cases by reflection: adding a case file is
/// enough to list it, and the case's metadata sits next to the code it describes.
/// </summary>
public interface IExportDbExample
{
    /// <summary>The case this module is the example of.</summary>
    static abstract ExportDbCase Case { get; }
}
