//! GetFolder, FindFolder and CreateFolder.
//!
//! Reference: <https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getfolder-operation>.

use super::Ctx;
use crate::exchange::soap::{EwsError, error_message, open_message, response_close, response_open};
use crate::exchange::state::{EventKind, Folder, Mailbox};
use crate::exchange::xml::{Element, escape_attr, escape_text};

/// Which folder properties a `FolderShape` asks for.
struct FolderShape {
    all: bool,
    id_only: bool,
    fields: Vec<String>,
}

impl FolderShape {
    fn from(el: Option<&Element>) -> FolderShape {
        let base = el
            .and_then(|e| e.child_text("BaseShape"))
            .unwrap_or_default();
        let fields = el
            .and_then(|e| e.child("AdditionalProperties"))
            .map(|a| {
                a.children_named("FieldURI")
                    .filter_map(|f| f.attr("FieldURI"))
                    .map(|u| u.rsplit(':').next().unwrap_or(u).to_string())
                    .collect()
            })
            .unwrap_or_default();
        FolderShape {
            all: base == "AllProperties",
            id_only: base == "IdOnly",
            fields,
        }
    }

    fn wants(&self, name: &str) -> bool {
        self.all
            || (!self.id_only
                && matches!(
                    name,
                    "DisplayName" | "TotalCount" | "ChildFolderCount" | "UnreadCount"
                ))
            || self.fields.iter().any(|f| f == name)
    }
}

fn element_name(f: &Folder) -> &'static str {
    match f.class.as_deref() {
        Some(c) if c.starts_with("IPF.Appointment") => "CalendarFolder",
        Some(c) if c.starts_with("IPF.Contact") => "ContactsFolder",
        Some(c) if c.starts_with("IPF.Task") => "TasksFolder",
        _ => "Folder",
    }
}

fn render_folder(out: &mut String, mb: &Mailbox, f: &Folder, shape: &FolderShape) {
    let name = element_name(f);
    out.push_str(&format!("<t:{name}>"));
    out.push_str(&format!(
        "<t:FolderId Id=\"{}\" ChangeKey=\"{}\"/>",
        escape_attr(&f.id),
        escape_attr(&f.change_key)
    ));
    if let (true, Some(p)) = (shape.wants("ParentFolderId"), &f.parent) {
        let ck = mb
            .folders
            .get(p)
            .map(|p| p.change_key.clone())
            .unwrap_or_default();
        out.push_str(&format!(
            "<t:ParentFolderId Id=\"{}\" ChangeKey=\"{}\"/>",
            escape_attr(p),
            escape_attr(&ck)
        ));
    }
    if let (true, Some(c)) = (shape.wants("FolderClass"), &f.class) {
        out.push_str(&format!(
            "<t:FolderClass>{}</t:FolderClass>",
            escape_text(c)
        ));
    }
    if shape.wants("DisplayName") {
        out.push_str(&format!(
            "<t:DisplayName>{}</t:DisplayName>",
            escape_text(&f.display_name)
        ));
    }
    if shape.wants("TotalCount") {
        let n = mb.items.values().filter(|i| i.folder_id == f.id).count();
        out.push_str(&format!("<t:TotalCount>{n}</t:TotalCount>"));
    }
    if shape.wants("ChildFolderCount") {
        let n = mb
            .folders
            .values()
            .filter(|c| c.parent.as_deref() == Some(&f.id))
            .count();
        out.push_str(&format!("<t:ChildFolderCount>{n}</t:ChildFolderCount>"));
    }
    if shape.wants("EffectiveRights") {
        out.push_str("<t:EffectiveRights><t:CreateAssociated>true</t:CreateAssociated><t:CreateContents>true</t:CreateContents><t:CreateHierarchy>true</t:CreateHierarchy><t:Delete>true</t:Delete><t:Modify>true</t:Modify><t:Read>true</t:Read><t:ViewPrivateItems>true</t:ViewPrivateItems></t:EffectiveRights>");
    }
    if let (true, Some(d)) = (shape.wants("DistinguishedFolderId"), &f.distinguished) {
        out.push_str(&format!(
            "<t:DistinguishedFolderId>{d}</t:DistinguishedFolderId>"
        ));
    }
    if matches!(name, "Folder" | "TasksFolder") && shape.wants("UnreadCount") {
        out.push_str("<t:UnreadCount>0</t:UnreadCount>");
    }
    out.push_str(&format!("</t:{name}>"));
}

/// GetFolder.
pub fn get_folder(ctx: &mut Ctx<'_>, body: &Element) -> String {
    let shape = FolderShape::from(body.child("FolderShape"));
    let mut out = response_open("GetFolder");
    for fid in body
        .child("FolderIds")
        .into_iter()
        .flat_map(|f| f.elements())
    {
        match ctx.folder(fid) {
            Ok(id) => {
                open_message(&mut out, "GetFolderResponseMessage", Ok(()));
                out.push_str("<m:Folders>");
                let mb = ctx.mb();
                render_folder(&mut out, mb, &mb.folders[&id], &shape);
                out.push_str("</m:Folders></m:GetFolderResponseMessage>");
            }
            Err(e) => error_message(&mut out, "GetFolderResponseMessage", &e),
        }
    }
    out.push_str(&response_close("GetFolder"));
    out
}

/// FindFolder (Shallow or Deep traversal, no paging).
pub fn find_folder(ctx: &mut Ctx<'_>, body: &Element) -> String {
    let shape = FolderShape::from(body.child("FolderShape"));
    let deep = body.attr("Traversal") == Some("Deep");
    let mut out = response_open("FindFolder");
    for fid in body
        .child("ParentFolderIds")
        .into_iter()
        .flat_map(|f| f.elements())
    {
        match ctx.folder(fid) {
            Ok(parent) => {
                let mb = ctx.mb();
                let scope = if deep {
                    mb.subtree(&parent)
                } else {
                    [parent.clone()].into()
                };
                let found: Vec<&Folder> = mb
                    .folders
                    .values()
                    .filter(|f| {
                        f.id != parent && f.parent.as_ref().is_some_and(|p| scope.contains(p))
                    })
                    .collect();
                open_message(&mut out, "FindFolderResponseMessage", Ok(()));
                out.push_str(&format!(
                    "<m:RootFolder TotalItemsInView=\"{}\" IncludesLastItemInRange=\"true\"><t:Folders>",
                    found.len()
                ));
                for f in found {
                    render_folder(&mut out, mb, f, &shape);
                }
                out.push_str("</t:Folders></m:RootFolder></m:FindFolderResponseMessage>");
            }
            Err(e) => error_message(&mut out, "FindFolderResponseMessage", &e),
        }
    }
    out.push_str(&response_close("FindFolder"));
    out
}

/// CreateFolder.
pub fn create_folder(ctx: &mut Ctx<'_>, body: &Element) -> String {
    let mut out = response_open("CreateFolder");
    let parent = body
        .child("ParentFolderId")
        .and_then(|p| p.first_element())
        .ok_or_else(EwsError::folder_not_found)
        .and_then(|p| ctx.folder(p));
    for f in body.child("Folders").into_iter().flat_map(|f| f.elements()) {
        let parent = match &parent {
            Ok(p) => p.clone(),
            Err(e) => {
                error_message(&mut out, "CreateFolderResponseMessage", e);
                continue;
            }
        };
        let display_name = f.child_text("DisplayName").unwrap_or_default();
        let exists = ctx.mb().folders.values().any(|x| {
            x.parent.as_deref() == Some(&parent)
                && x.display_name.eq_ignore_ascii_case(&display_name)
        });
        if exists {
            let e = EwsError::new(
                "ErrorFolderExists",
                "A folder with the specified name already exists.",
            );
            error_message(&mut out, "CreateFolderResponseMessage", &e);
            continue;
        }
        let class = f
            .child_text("FolderClass")
            .or_else(|| match f.name.as_str() {
                "CalendarFolder" => Some("IPF.Appointment".into()),
                "ContactsFolder" => Some("IPF.Contact".into()),
                "TasksFolder" => Some("IPF.Task".into()),
                _ => Some("IPF.Note".into()),
            });
        let id = ctx.world.ids().folder();
        let ck = ctx.world.ids().change_key();
        let folder = Folder {
            id: id.clone(),
            change_key: ck.clone(),
            parent: Some(parent.clone()),
            display_name,
            class,
            distinguished: None,
        };
        let name = element_name(&folder);
        ctx.mb_mut().folders.insert(id.clone(), folder);
        let pck = ctx
            .mb()
            .folders
            .get(&parent)
            .map(|p| p.change_key.clone())
            .unwrap_or_default();
        ctx.event(EventKind::Created, true, &id, &ck, &parent, None, None);
        let _ = pck;
        open_message(&mut out, "CreateFolderResponseMessage", Ok(()));
        out.push_str(&format!(
            "<m:Folders><t:{name}><t:FolderId Id=\"{}\" ChangeKey=\"{}\"/></t:{name}></m:Folders></m:CreateFolderResponseMessage>",
            escape_attr(&id),
            escape_attr(&ck)
        ));
    }
    out.push_str(&response_close("CreateFolder"));
    out
}
