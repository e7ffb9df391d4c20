// The USI grammar: typed forms of every command a GUI sends and every line an engine prints,
// with a parser and a formatter for each direction. The engine (server side), the arena and the
// teacher driver (client side) all read and write USI through this module.
//
// Parsers never throw on input text. A line returns as its command, as `unknown` when its first
// token is no command of this direction, or as `invalid` when it names a command but cannot mean
// it. For every value x of the typed forms, parsing the formatted x gives x back, as long as
// free-text values have no whitespace at either end. Values that run to the end of the line
// (`setoption ... value`, `id`, `info string`) keep runs of inner spaces; option names and the
// fields of `option` lines are read token by token, so runs of spaces in them become one space.

export {
  type ClockParams, EMPTY_OPTION_VALUE, type GameResult, type GoCommand, type GoParams, type GuiCommand,
  type PositionCommand, formatGuiCommand, parseGuiCommand,
} from "./grammar-gui.js";
export {
  type BestMoveLine, type CheckmateLine, type EngineLine, type OptionDeclaration, type OptionType,
  formatEngineLine, parseEngineLine,
} from "./grammar-engine.js";
export { type InfoFields, type InfoLine, type InfoNumbers, type Score, type ScoreBound, formatScore } from "./grammar-info.js";
export { type InvalidLine, type UnknownLine, isMoveText } from "./grammar-tokens.js";
