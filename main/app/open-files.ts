const SHEET = /\.(xlsx|xlsm|xls|csv|tsv|txt)$/i;

/**
 * Spreadsheet paths the OS handed to the app ("Open with Order Stager", or a second launch): the
 * arguments after the executable that are not flags and name a file type the importer reads.
 */
export function filesFromArgv(argv: readonly string[]): string[] {
  return argv.slice(1).filter((arg) => !arg.startsWith('-') && SHEET.test(arg));
}
