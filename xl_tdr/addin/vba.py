"""VBA source and ribbon XML of the add-in: ribbon callbacks, the start-up check, one wrapper
per worksheet function and the function-wizard registration (the shape xlwings' own "Import
Functions" writes).

Every VBA string is kept in the project's code page (1252): VBA stores source as ANSI, so a
character outside it (``−``, ``→``) would reach Excel as ``?``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import DOCS_URL
from ..errors import XlTdrError

PROJECT_NAME = "xl_tdr"
RIBBON_MODULE = "xl_tdr_ribbon"
UDF_MODULE = "xl_tdr_udfs"
PYTHON_UDF_MODULE = "xl_tdr.udfs"
CATEGORY = "xl_tdr"
CODE_PAGE = "cp1252"
#: The ribbon's namespace (Office 2010+) and the package relationship type that goes with it;
#: the 2006/01 namespace would need the 2006 relationship type.
CUSTOM_UI_NAMESPACE = "http://schemas.microsoft.com/office/2009/07/customui"
CUSTOM_UI_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
DOCTOR_HINT = "Open a Command Prompt and run:  xl-tdr doctor"

_LOOK_ALIKES = str.maketrans({"−": "-", "–": "-", "—": "-", "→": "->", "’": "'", "“": '"', "”": '"'})


def vba_text(text: str) -> str:
    """``text`` in the VBA project's code page (look-alikes for the rest); a character that has
    none is a build error, never a silent ``?``."""
    text = text.translate(_LOOK_ALIKES)
    try:
        text.encode(CODE_PAGE)
    except UnicodeEncodeError as exc:
        raise XlTdrError(f"the add-in text {text[:60]!r} has {exc.object[exc.start]!r}, "
                         f"which VBA cannot store in code page 1252") from None
    return text


def _quote(text: str) -> str:
    return '"' + vba_text(text).replace('"', '""') + '"'


@dataclass(frozen=True)
class Button:
    id: str
    label: str
    image: str       # an Office imageMso
    size: str
    tip: str
    callback: str               # the VBA Sub the ribbon calls
    action: str | None = None   # a Python function of xl_tdr.addin; None: the callback is VBA only


BUTTONS = (
    Button("tdrRefresh", "Refresh data", "Refresh", "large",
           "Update the data from the U.S. Census Bureau, and the open xl_tdr report", "RefreshData", "refresh_data"),
    Button("tdrNewReport", "New report", "ChartInsert", "normal",
           "Build the TDR report workbook from the current data and open it", "NewReport", "new_report"),
    Button("tdrInfo", "Data info", "Info", "normal",
           "Where the data come from: source, vintage, latest month, store location", "DataInfo", "data_info"),
    Button("tdrHelp", "Help", "Help", "normal",
           "The xl_tdr documentation, and what to run when something does not work", "ShowHelp"),
)

#: The guard before every RunPython: xlwings' RunPython reads ActiveWorkbook, which is Nothing
#: when no workbook is open (VBA error 91). A blank workbook stands in and is closed afterwards.
_GUARD = ["Private Function StandInWorkbook() As Workbook",
          "    ' xlwings' RunPython reads ActiveWorkbook: with no workbook open it would stop on error 91",
          "    If ActiveWorkbook Is Nothing Then Set StandInWorkbook = Workbooks.Add",
          "End Function", ""]


def _python_callback(button: Button) -> list[str]:
    return [f"Sub {button.callback}(control As IRibbonControl)",
            "    Dim standIn As Workbook",
            "    Set standIn = StandInWorkbook()",
            f'    RunPython "import xl_tdr.addin; xl_tdr.addin.{button.action}()"',
            "    If Not standIn Is Nothing Then standIn.Close SaveChanges:=False",
            "End Sub", ""]


def _help_callback(button: Button) -> list[str]:
    """Help works when Python does not: it is the button a user presses when nothing else works."""
    message = ("The documentation opens in your browser." + '" & vbLf & vbLf & "'
               + "If the TDR functions show errors or the buttons do nothing:" + '" & vbLf & "' + DOCTOR_HINT)
    return [f"Sub {button.callback}(control As IRibbonControl)",
            "    On Error Resume Next",
            f"    ThisWorkbook.FollowHyperlink {_quote(DOCS_URL)}",
            f'    MsgBox "{vba_text(message)}", vbInformation, "xl_tdr"',
            "End Sub", ""]


def _setup_check(xlwings_version: str) -> list[str]:
    """Workbook_Open's check that the xlwings DLL this add-in declares sits next to the configured
    Python (as xlwings looks for it); otherwise one message saying what to run."""
    return ["Public Sub CheckSetup()",
            f"    ' The add-in calls the DLL of xlwings {xlwings_version}: it must sit next to the configured Python",
            "#If Mac Then",
            "    Exit Sub",
            "#Else",
            "    Dim python As String, folder As String, dll As String",
            "    On Error GoTo done",
            "    #If Win64 Then",
            f'        dll = "xlwings64-{xlwings_version}.dll"',
            "    #Else",
            f'        dll = "xlwings32-{xlwings_version}.dll"',
            "    #End If",
            '    python = GetConfig("INTERPRETER_WIN", "")',
            '    If python = "" Or python = "python" Or python = "pythonw" Or InStr(python, "\\") = 0 Then Exit Sub',
            '    folder = Left$(python, InStrRev(python, "\\") - 1)',
            '    If Dir(folder & "\\" & dll) <> "" Then Exit Sub',
            '    If InStrRev(folder, "\\") > 0 Then',
            '        If Dir(Left$(folder, InStrRev(folder, "\\") - 1) & "\\" & dll) <> "" Then Exit Sub',
            "    End If",
            f'    MsgBox "This add-in was built for xlwings {xlwings_version}, which is not installed in" & vbLf & python '
            '& vbLf & vbLf & "Open a Command Prompt and run:  xl-tdr addin install" & vbLf & '
            f'"({vba_text("xl-tdr doctor checks the whole setup")})", vbExclamation, "xl_tdr"',
            "done:",
            "#End If",
            "End Sub", ""]


def ribbon_module(xlwings_version: str) -> str:
    """The ribbon's callbacks (each RunPython behind the no-workbook guard) and the start-up check."""
    lines = [f'Attribute VB_Name = "{RIBBON_MODULE}"',
             "' xl_tdr ribbon callbacks - generated by `xl-tdr addin build`; changes are lost on rebuild.",
             "Option Explicit", "", *_GUARD]
    for button in BUTTONS:
        lines += _python_callback(button) if button.action else _help_callback(button)
    lines += _setup_check(xlwings_version)
    return "\r\n".join(lines)


def udf_module(specs) -> str:
    """One VBA function per worksheet function, calling xlwings' XLPy.CallUDF, plus the
    registration of descriptions for Excel's function wizard."""
    lines = [f'Attribute VB_Name = "{UDF_MODULE}"',
             "' xl_tdr worksheet functions - generated by `xl-tdr addin build`; changes are lost on rebuild.",
             "#Const App = \"Microsoft Excel\" 'Adjust when using outside of Excel", ""]
    for spec in specs:
        lines += _wrapper(spec)
    lines += _registration(specs)
    return "\r\n".join(lines)


def _wrapper(spec) -> list[str]:
    signature = ", ".join(("Optional " if optional else "") + name for name, _, optional in spec.args)
    args = f"Array({', '.join(name for name, _, _ in spec.args)})"
    call = f'XLPy.CallUDF("{PYTHON_UDF_MODULE}", "{spec.name}", {args}'
    return [f"Function {spec.name}({signature})",
            '    #If App = "Microsoft Excel" Then',
            "        If TypeOf Application.Caller Is Range Then On Error GoTo failed",
            f"        {spec.name} = {call}, ActiveWorkbook, Application.Caller)",
            "        Exit Function",
            "    #Else",
            f"        {spec.name} = {call})",
            "        Exit Function",
            "    #End If",
            "failed:",
            f"    {spec.name} = Err.Description",
            "End Function", ""]


def _registration(specs) -> list[str]:
    """Names qualified with the add-in's name (as xlwings does); a refusal is shown on the status
    bar, not swallowed."""
    lines = ["Sub RegisterFunctions()",
             "    ' Descriptions and argument help for Excel's function wizard (category xl_tdr)",
             "    On Error GoTo failed"]
    for spec in specs:
        helps = ", ".join(_quote(help_text[:255]) for _, help_text, _ in spec.args)
        lines.append(f"    Application.MacroOptions Macro:=\"'\" & ThisWorkbook.Name & \"'!{spec.name}\", "
                     f"Description:={_quote(spec.description[:255])}, Category:={_quote(CATEGORY)}"
                     + (f", ArgumentDescriptions:=Array({helps})" if spec.args else ""))
    lines += ["    Exit Sub",
              "failed:",
              '    Application.StatusBar = "xl_tdr: Excel refused the function descriptions (" & Err.Description & '
              f'"); the functions still work. {DOCTOR_HINT}"',
              "End Sub", ""]
    return lines


WORKBOOK_OPEN = "\r\n".join(["Private Sub Workbook_Open()",
                             f"    {RIBBON_MODULE}.CheckSetup",
                             f"    {UDF_MODULE}.RegisterFunctions", "End Sub", ""])


def custom_ui() -> str:
    """The ribbon: a TDR tab with the "Trade data" group."""
    buttons = "\n".join(
        f'          <button id="{b.id}" label="{b.label}" size="{b.size}" imageMso="{b.image}" '
        f'screentip="{b.label}" supertip="{b.tip}" onAction="{RIBBON_MODULE}.{b.callback}" />'
        for b in BUTTONS)
    return (f'<customUI xmlns="{CUSTOM_UI_NAMESPACE}">\n'
            "  <ribbon>\n    <tabs>\n"
            '      <tab id="xlTdrTab" label="TDR">\n'
            '        <group id="xlTdrTradeData" label="Trade data">\n'
            f"{buttons}\n"
            "        </group>\n      </tab>\n    </tabs>\n  </ribbon>\n</customUI>\n")
