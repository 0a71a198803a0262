using Graphport.Tutorial;

// Runs the torch.export tutorial in C#, section by section (docs/tutorial.md explains each one).
// Usage: dotnet run --project examples/tutorial [-- <section> ...]   (no section: all, in order)
var sections = TutorialSections.All;
var requested = args.Where(a => !a.StartsWith('-')).ToList();
if (args.Contains("--list"))
{
    foreach (var s in sections) Console.WriteLine($"{s.Key,-20} {s.Title}");
    return 0;
}
var unknown = requested.Where(r => sections.All(s => s.Key != r)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown section(s): {string.Join(", ", unknown)}. Sections: {string.Join(", ", sections.Select(s => s.Key))}.");
    return 2;
}
foreach (var section in sections.Where(s => requested.Count == 0 || requested.Contains(s.Key)))
{
    Console.WriteLine(new string('=', 78));
    Console.WriteLine(section.Title);
    Console.WriteLine(new string('=', 78));
    section.Run();
    Console.WriteLine();
}
return 0;
