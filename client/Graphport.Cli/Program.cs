using Graphport.Cli;

// graphport <command> [arguments]; `graphport help` lists the commands.
return CliCommands.Dispatcher.Run(args, CommandContext.FromConsole());
