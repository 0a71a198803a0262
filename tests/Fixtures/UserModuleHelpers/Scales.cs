namespace UserModuleHelpers;

/// <summary>A value UserModules reads at run time (a property, not a const, which the compiler would copy into the caller).</summary>
public static class Scales
{
    public static double Default => 3.0;
}
