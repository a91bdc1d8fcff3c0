FUNCTION z_mai_crm_order_save.
*"----------------------------------------------------------------------
*"*"Local Interface:
*"  IMPORTING
*"     REFERENCE(IV_HEADER_GUID) TYPE  CRMT_OBJECT_GUID
*"----------------------------------------------------------------------
* CRMV_EVENT callback (object ORDER, event SAVE, "call with header
* GUID"): records a created or changed event for appointments and tasks
* of the transaction types in ZMAI_FILTER. Never calls the hub.
  zcl_mai_events=>activity_saved( iv_header_guid ).

ENDFUNCTION.
