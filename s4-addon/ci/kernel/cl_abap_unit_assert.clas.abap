* A stand-in for the ABAP Unit assertion class, for the transpiled run on
* Node.js only (s4-addon/ci, never imported into an SAP system): the
* methods and parameters the add-on's tests use, failing by raising
* CX_AUNIT_FAILURE, which the runner (ci/run-unit.mjs) reports.
CLASS cl_abap_unit_assert DEFINITION PUBLIC CREATE PUBLIC.
  PUBLIC SECTION.
    CLASS-METHODS assert_equals
      IMPORTING act  TYPE any
                exp  TYPE any
                msg  TYPE csequence OPTIONAL
                quit TYPE i OPTIONAL.
    CLASS-METHODS assert_subrc
      IMPORTING exp  TYPE i DEFAULT 0
                act  TYPE i DEFAULT sy-subrc
                msg  TYPE csequence OPTIONAL
                quit TYPE i OPTIONAL.
    CLASS-METHODS fail
      IMPORTING msg  TYPE csequence OPTIONAL
                quit TYPE i OPTIONAL.
    " On Node.js a missing precondition (a golden file) is a failure: CI
    " must never pass by skipping.
    CLASS-METHODS abort
      IMPORTING msg  TYPE csequence OPTIONAL
                quit TYPE i OPTIONAL.
  PRIVATE SECTION.
    CLASS-METHODS show
      IMPORTING value       TYPE any
      RETURNING VALUE(text) TYPE string.
ENDCLASS.

CLASS cl_abap_unit_assert IMPLEMENTATION.
  METHOD assert_equals.
    IF act <> exp.
      fail( msg = |{ msg } expected <{ show( exp ) }> but was <{ show( act ) }>| ).
    ENDIF.
  ENDMETHOD.

  METHOD assert_subrc.
    IF act <> exp.
      fail( msg = |{ msg } sy-subrc { act }, expected { exp }| ).
    ENDIF.
  ENDMETHOD.

  METHOD fail.
    RAISE EXCEPTION TYPE cx_aunit_failure EXPORTING text = msg.
  ENDMETHOD.

  METHOD abort.
    fail( msg = |aborted: { msg }| ).
  ENDMETHOD.

  METHOD show.
    DATA kind TYPE c LENGTH 1.
    DESCRIBE FIELD value TYPE kind.
    IF kind CA 'hlruv'.
      text = '(not elementary)'.
    ELSE.
      text = |{ value }|.
    ENDIF.
  ENDMETHOD.
ENDCLASS.
