*******************************************************************
*   System-defined Include-files.                                 *
*******************************************************************
INCLUDE lzmai_eventstop.                   " Global Declarations
INCLUDE lzmai_eventsuxx.                   " Function Modules
