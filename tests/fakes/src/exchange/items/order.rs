//! The element order of each item type, from `types.xsd`
//! (`ItemType`, `CalendarItemType`, `TaskType`, `ContactItemType`). A
//! response lists properties in this order or it breaks the schema.

use crate::exchange::state::ItemKind;

/// `ItemType`'s sequence (the part the fake can hold).
const ITEM: &[&str] = &[
    "MimeContent",
    "ItemId",
    "ParentFolderId",
    "ItemClass",
    "Subject",
    "Sensitivity",
    "Body",
    "Attachments",
    "DateTimeReceived",
    "Size",
    "Categories",
    "Importance",
    "InReplyTo",
    "IsSubmitted",
    "IsDraft",
    "IsFromMe",
    "IsResend",
    "IsUnmodified",
    "InternetMessageHeaders",
    "DateTimeSent",
    "DateTimeCreated",
    "ResponseObjects",
    "ReminderDueBy",
    "ReminderIsSet",
    "ReminderNextTime",
    "ReminderMinutesBeforeStart",
    "DisplayCc",
    "DisplayTo",
    "DisplayBcc",
    "HasAttachments",
    "ExtendedProperty",
    "Culture",
    "EffectiveRights",
    "LastModifiedName",
    "LastModifiedTime",
    "IsAssociated",
    "WebClientReadFormQueryString",
    "WebClientEditFormQueryString",
    "ConversationId",
    "UniqueBody",
    "Flag",
    "StoreEntryId",
    "InstanceKey",
    "NormalizedBody",
    "EntityExtractionResult",
    "PolicyTag",
    "ArchiveTag",
    "RetentionDate",
    "Preview",
    "RightsManagementLicenseData",
    "PredictedActionReasons",
    "IsClutter",
    "BlockStatus",
    "HasBlockedImages",
    "TextBody",
    "IconIndex",
    "SearchKey",
    "SortKey",
    "Hashtags",
    "Mentions",
    "MentionedMe",
    "MentionsPreview",
    "MentionsEx",
    "AppliedHashtags",
    "AppliedHashtagsPreview",
    "Likes",
    "LikesPreview",
    "PendingSocialActivityTagIds",
    "AtAllMention",
    "CanDelete",
    "InferenceClassification",
];

/// `CalendarItemType`'s own elements, after `ItemType`'s.
const CALENDAR: &[&str] = &[
    "UID",
    "RecurrenceId",
    "DateTimeStamp",
    "Start",
    "End",
    "OriginalStart",
    "IsAllDayEvent",
    "LegacyFreeBusyStatus",
    "Location",
    "When",
    "IsMeeting",
    "IsCancelled",
    "IsRecurring",
    "MeetingRequestWasSent",
    "IsResponseRequested",
    "CalendarItemType",
    "MyResponseType",
    "Organizer",
    "RequiredAttendees",
    "OptionalAttendees",
    "Resources",
    "InboxReminders",
    "ConflictingMeetingCount",
    "AdjacentMeetingCount",
    "ConflictingMeetings",
    "AdjacentMeetings",
    "Duration",
    "TimeZone",
    "AppointmentReplyTime",
    "AppointmentSequenceNumber",
    "AppointmentState",
    "Recurrence",
    "FirstOccurrence",
    "LastOccurrence",
    "ModifiedOccurrences",
    "DeletedOccurrences",
    "MeetingTimeZone",
    "StartTimeZone",
    "EndTimeZone",
    "ConferenceType",
    "AllowNewTimeProposal",
    "IsOnlineMeeting",
    "MeetingWorkspaceUrl",
    "NetShowUrl",
    "EnhancedLocation",
    "StartWallClock",
    "EndWallClock",
    "StartTimeZoneId",
    "EndTimeZoneId",
    "IntendedFreeBusyStatus",
    "JoinOnlineMeetingUrl",
    "OnlineMeetingSettings",
    "IsOrganizer",
    "CalendarActivityData",
    "DoNotForwardMeeting",
];

/// `TaskType`'s own elements.
const TASK: &[&str] = &[
    "ActualWork",
    "AssignedTime",
    "BillingInformation",
    "ChangeCount",
    "Companies",
    "CompleteDate",
    "Contacts",
    "DelegationState",
    "Delegator",
    "DueDate",
    "IsAssignmentEditable",
    "IsComplete",
    "IsRecurring",
    "IsTeamTask",
    "Mileage",
    "Owner",
    "PercentComplete",
    "Recurrence",
    "StartDate",
    "Status",
    "StatusDescription",
    "TotalWork",
];

/// `ContactItemType`'s own elements (the commonly used head of the list;
/// the rest keep their relative order after these).
const CONTACT: &[&str] = &[
    "FileAs",
    "FileAsMapping",
    "DisplayName",
    "GivenName",
    "Initials",
    "MiddleName",
    "Nickname",
    "CompleteName",
    "CompanyName",
    "EmailAddresses",
    "AbchEmailAddresses",
    "PhysicalAddresses",
    "PhoneNumbers",
    "AssistantName",
    "Birthday",
    "BusinessHomePage",
    "Children",
    "Companies",
    "ContactSource",
    "Department",
    "Generation",
    "ImAddresses",
    "JobTitle",
    "Manager",
    "Mileage",
    "OfficeLocation",
    "PostalAddressIndex",
    "Profession",
    "SpouseName",
    "Surname",
    "WeddingAnniversary",
    "HasPicture",
    "PhoneticFullName",
    "PhoneticFirstName",
    "PhoneticLastName",
    "Alias",
    "Notes",
    "Photo",
    "UserSMIMECertificate",
    "MSExchangeCertificate",
    "DirectoryId",
    "ManagerMailbox",
    "DirectReports",
    "AccountName",
    "IsAutoUpdateDisabled",
    "IsMessengerEnabled",
    "Comment",
    "ContactShortId",
    "ContactType",
    "Gender",
    "IsHidden",
    "ObjectId",
    "PassportId",
    "IsPrivate",
    "SourceId",
    "TrustLevel",
    "CreatedBy",
    "Urls",
    "Cid",
    "SkypeAuthCertificate",
    "SkypeContext",
    "SkypeId",
    "SkypeRelationship",
    "YomiNickname",
    "XboxLiveTag",
    "InviteFree",
    "HidePresenceAndProfile",
    "IsPendingOutbound",
    "SupportGroupFeeds",
    "UserTileHash",
    "UnifiedInbox",
    "Mris",
    "Wlid",
    "AbchContactId",
    "NotInBirthdayCalendar",
    "ShellContactType",
    "ImMri",
    "PresenceTrustLevel",
    "OtherMri",
    "ProfileLastChanged",
    "MobileIMEnabled",
    "PartnerNetworkProfilePhotoUrl",
    "PartnerNetworkThumbnailPhotoUrl",
    "PersonId",
    "ConversationGuid",
];

/// The position of element `name` in `kind`'s sequence; `None` when the
/// type has no such element.
pub fn position(kind: ItemKind, name: &str) -> Option<usize> {
    if let Some(p) = ITEM.iter().position(|n| *n == name) {
        return Some(p);
    }
    let own = own(kind);
    own.iter().position(|n| *n == name).map(|p| ITEM.len() + p)
}

fn own(kind: ItemKind) -> &'static [&'static str] {
    match kind {
        ItemKind::CalendarItem => CALENDAR,
        ItemKind::Task => TASK,
        ItemKind::Contact => CONTACT,
        ItemKind::Item => &[],
    }
}

/// Whether `kind` has an element `name`.
pub fn has(kind: ItemKind, name: &str) -> bool {
    position(kind, name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_elements_come_after_the_item_elements() {
        let subject = position(ItemKind::CalendarItem, "Subject").unwrap();
        let start = position(ItemKind::CalendarItem, "Start").unwrap();
        let ext = position(ItemKind::CalendarItem, "ExtendedProperty").unwrap();
        assert!(subject < ext && ext < start);
        assert!(position(ItemKind::Task, "Start").is_none());
        assert!(
            position(ItemKind::Contact, "GivenName").unwrap()
                < position(ItemKind::Contact, "Surname").unwrap()
        );
    }
}
