* The kernel's exception root classes, as far as the Node.js run needs them.
CLASS cx_no_check DEFINITION PUBLIC INHERITING FROM cx_root ABSTRACT CREATE PUBLIC.
ENDCLASS.

CLASS cx_no_check IMPLEMENTATION.
ENDCLASS.
