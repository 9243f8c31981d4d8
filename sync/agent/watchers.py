"""What the bus notices by itself: a network link coming up, a USB stick with a ``numeribus/`` folder.

``DeviceWatcher(on_link_up=None, on_stick=None, *, on_stick_removed=None, ...)`` runs one thread
(`start()`, `stop()`, `rescan()`) that waits on three sources at once and calls back from that thread:

- **udev** (pyudev, subsystems ``net`` and ``block``).  The monitor listens to udev's events when
  udevd runs (``/run/udev/control`` exists), else to the kernel's own (a container, a test).
  ``net``: an interface added, changed, moved or online whose ``operstate`` is up (or ``unknown``
  with the flags UP and RUNNING, as a 4G modem's ppp/wwan link reports) ->
  ``on_link_up(name)``.  ``block``: a disk or partition added or changed -> the mounted sticks
  are looked at again at once and then after ``recheck_delays`` seconds, since the mount
  (udisks, an automounter) follows the event; removed -> looked at again at once.
- **rtnetlink** (a plain ``AF_NETLINK`` socket, no privilege needed): a link whose operstate
  becomes up, or a new IPv4 / global IPv6 address on it (DHCP done) -> ``on_link_up(name)``.
  udev alone misses the depot's Wi-Fi: ``wlan0`` exists all day, joining a network sends no
  uevent.
- **the mount table**: ``/proc/self/mounts`` wakes ``poll()`` (POLLPRI) whenever something is
  mounted or unmounted: the sticks are looked at again at once.

Links: each interface is reported when it goes from not up to up (its state at `start()`
is read from ``/sys/class/net``, without a report), and again for each new address (the
addresses present at `start()` are known without a report).  Loopback and ``ignore_interfaces``
never are.

Sticks: `stick_mounts()` lists the mounted removable drives
(`numeribus_kiosk.journal.usb.removable_mounts`, read-only ones included) whose mount point
holds a ``numeribus/`` folder.  Each is reported once with ``on_stick(path)`` (``path``: its mount
point), those already mounted at `start()` too when ``report_present``; once it is no longer
mounted, ``on_stick_removed(path)`` and it can be reported again.  ``root`` is where the mount
points are looked for (``/``; a test passes a temporary folder, mount points then resolve under it).

A source that cannot be opened (no libudev, netlink refused) is logged and left out: ``sources``
tells which are watched.  A callback that raises is logged; the thread goes on.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import select
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from numeribus_kiosk.journal.usb import UsbTarget, removable_mounts

from .bundles import STICK_FOLDER

log = logging.getLogger(__name__)

RECHECK_DELAYS = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)  # seconds after a block event
NET_ACTIONS = ("add", "change", "move", "online")
BLOCK_ACTIONS = ("add", "change")

# linux/if.h, linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h
IFF_UP = 0x1
IFF_LOOPBACK = 0x8
IFF_RUNNING = 0x40
IF_OPER_UNKNOWN, IF_OPER_UP = 0, 6
OPERSTATES = {0: "unknown", 1: "notpresent", 2: "down", 3: "lowerlayerdown", 4: "testing", 5: "dormant", 6: "up"}
NETLINK_ROUTE = 0
RTMGRP_LINK, RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR = 0x1, 0x10, 0x100
RTM_NEWLINK, RTM_DELLINK, RTM_NEWADDR, RTM_DELADDR = 16, 17, 20, 21
IFLA_IFNAME, IFLA_OPERSTATE = 3, 16
IFA_ADDRESS, IFA_LOCAL, IFA_LABEL = 1, 2, 3
RT_SCOPE_UNIVERSE = 0
NLMSG_HEADER = struct.Struct("=IHHII")
IFINFOMSG = struct.Struct("=BxHiII")
IFADDRMSG = struct.Struct("=BBBBI")
RTATTR = struct.Struct("=HH")


def link_is_up(operstate: str, flags: int) -> bool:
    """An interface carries traffic: operstate ``up``, or ``unknown`` with the flags UP and RUNNING."""
    if flags & IFF_LOOPBACK:
        return False
    state = operstate.strip().lower()
    return state == "up" or (state == "unknown" and flags & (IFF_UP | IFF_RUNNING) == IFF_UP | IFF_RUNNING)


def _flags(text: str | bytes | None) -> int:
    if isinstance(text, bytes):
        text = text.decode("ascii", "replace")
    try:
        return int((text or "0").strip(), 0)
    except ValueError:
        return 0


# --- sticks ------------------------------------------------------------------------------------------


def _under(root: Path, mount_point: Path) -> Path:
    return mount_point if root == Path("/") else root / mount_point.relative_to(mount_point.anchor)


def stick_mounts(
    mounts_file: str | Path = "/proc/self/mounts",
    sys_class_block: str | Path = "/sys/class/block",
    *,
    root: str | Path = "/",
    disk_by_label: str | Path = "/dev/disk/by-label",
) -> list[UsbTarget]:
    """The mounted removable drives holding a ``numeribus/`` folder, their ``path`` under `root`."""
    root = Path(root)
    found = []
    for target in removable_mounts(mounts_file, sys_class_block, include_read_only=True, disk_by_label=disk_by_label):
        path = _under(root, target.path)
        try:
            holds = (path / STICK_FOLDER).is_dir()
        except OSError:
            holds = False
        if holds:
            found.append(replace(target, path=path))
    return found


# --- rtnetlink -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NetlinkEvent:
    """One rtnetlink message that matters here.  ``kind``: link, link_gone, address, address_gone."""

    kind: str
    index: int
    name: str | None
    flags: int = 0
    operstate: str = "unknown"
    address: str | None = None
    scope: int = RT_SCOPE_UNIVERSE

    @property
    def up(self) -> bool:
        return link_is_up(self.operstate, self.flags)


def _attributes(data: bytes, offset: int, end: int) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    while offset + RTATTR.size <= end:
        length, kind = RTATTR.unpack_from(data, offset)
        if length < RTATTR.size or offset + length > end:
            break
        found.setdefault(kind & 0x3FFF, data[offset + RTATTR.size : offset + length])
        offset += (length + 3) & ~3
    return found


def _text(value: bytes | None) -> str | None:
    return value.split(b"\0", 1)[0].decode("utf-8", "replace") if value else None


def parse_rtnetlink(data: bytes) -> list[NetlinkEvent]:
    """The link and address messages in one datagram from an rtnetlink socket (others are skipped)."""
    events = []
    offset = 0
    while offset + NLMSG_HEADER.size <= len(data):
        length, kind, _flags, _seq, _pid = NLMSG_HEADER.unpack_from(data, offset)
        if length < NLMSG_HEADER.size or offset + length > len(data):
            break
        body, end = offset + NLMSG_HEADER.size, offset + length
        if kind in (RTM_NEWLINK, RTM_DELLINK) and body + IFINFOMSG.size <= end:
            _family, _type, index, flags, _change = IFINFOMSG.unpack_from(data, body)
            attributes = _attributes(data, body + IFINFOMSG.size, end)
            operstate = attributes.get(IFLA_OPERSTATE, b"\0")[:1] or b"\0"
            events.append(
                NetlinkEvent(
                    "link" if kind == RTM_NEWLINK else "link_gone",
                    index,
                    _text(attributes.get(IFLA_IFNAME)),
                    flags,
                    OPERSTATES.get(operstate[0], "unknown"),
                )
            )
        elif kind in (RTM_NEWADDR, RTM_DELADDR) and body + IFADDRMSG.size <= end:
            family, _prefix, _flags8, scope, index = IFADDRMSG.unpack_from(data, body)
            attributes = _attributes(data, body + IFADDRMSG.size, end)
            raw = attributes.get(IFA_LOCAL) or attributes.get(IFA_ADDRESS)
            address = None
            if raw and family in (socket.AF_INET, socket.AF_INET6):
                with contextlib.suppress(ValueError, OSError):
                    address = socket.inet_ntop(family, raw)
            events.append(
                NetlinkEvent(
                    "address" if kind == RTM_NEWADDR else "address_gone",
                    index,
                    _text(attributes.get(IFA_LABEL)),
                    address=address,
                    scope=scope,
                )
            )
        offset += (length + 3) & ~3
    return events


def _open_rtnetlink() -> socket.socket:
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, NETLINK_ROUTE)
    try:
        sock.bind((0, RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR))
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def _interface_name(index: int) -> str | None:
    try:
        return socket.if_indextoname(index)
    except OSError:
        return None


def _current_addresses() -> set[tuple[int, str]]:
    """(interface index, address) of every address the machine has now."""
    import ifaddr

    found = set()
    try:
        adapters = ifaddr.get_adapters()
    except OSError:
        return found
    for adapter in adapters:
        for ip in adapter.ips:
            address = ip.ip if isinstance(ip.ip, str) else ip.ip[0]
            found.add((adapter.index, address))
    return found


# --- the watcher ------------------------------------------------------------------------------------


class DeviceWatcher:
    """Watch links and sticks on one thread; see the module's doc."""

    def __init__(
        self,
        on_link_up: Callable[[str], object] | None = None,
        on_stick: Callable[[Path], object] | None = None,
        *,
        on_stick_removed: Callable[[Path], object] | None = None,
        mounts_file: str | Path = "/proc/self/mounts",
        sys_class_block: str | Path = "/sys/class/block",
        sys_class_net: str | Path = "/sys/class/net",
        disk_by_label: str | Path = "/dev/disk/by-label",
        root: str | Path = "/",
        udev: bool = True,
        udev_source: str = "auto",
        route: bool = True,
        ignore_interfaces: Iterable[str] = ("lo",),
        recheck_delays: Sequence[float] = RECHECK_DELAYS,
        report_present: bool = True,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if udev_source not in ("auto", "udev", "kernel"):
            raise ValueError(f"udev_source must be auto, udev or kernel, not {udev_source!r}")
        self.on_link_up = on_link_up
        self.on_stick = on_stick
        self.on_stick_removed = on_stick_removed
        self.mounts_file = Path(mounts_file)
        self.sys_class_block = Path(sys_class_block)
        self.sys_class_net = Path(sys_class_net)
        self.disk_by_label = Path(disk_by_label)
        self.root = Path(root)
        self.udev = udev
        self.udev_source = udev_source
        self.route = route
        self.ignore_interfaces = frozenset(ignore_interfaces)
        self.recheck_delays = tuple(sorted(recheck_delays))
        self.report_present = report_present
        self.monotonic = monotonic
        self.sources: list[str] = []  # what is watched, once started: "udev:udev"/"udev:kernel", "route", "mounts"

        self._thread: threading.Thread | None = None
        self._stopping = False
        self._rescan = False
        self._wake_r = self._wake_w = -1
        self._monitor = None
        self._route: socket.socket | None = None
        self._mounts = None
        self._rechecks: list[float] = []  # monotonic times at which to look at the sticks again
        self._links: dict[str, bool] = {}  # interface name -> up
        self._addresses: set[tuple[int, str]] = set()
        self._sticks: dict[tuple[str, Path], UsbTarget] = {}  # reported, still mounted

    # --- life --------------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the sources, read the present state, and start the thread."""
        if self._thread is not None:
            raise RuntimeError("the device watcher was already started")
        self._wake_r, self._wake_w = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)
        if self.udev:
            self._open_udev()
        if self.route and (self.on_link_up is not None):
            try:
                self._route = _open_rtnetlink()
                self.sources.append("route")
            except OSError as exc:
                log.warning("network links are not watched through rtnetlink: %s", exc.strerror or exc)
        if self.on_stick is not None and self._is_proc(self.mounts_file):
            try:
                self._mounts = open(self.mounts_file, "rb")  # noqa: SIM115 - kept open: poll() watches it
                self.sources.append("mounts")
            except OSError as exc:
                log.warning("mounts are not watched: %s cannot be read (%s)", self.mounts_file, exc.strerror or exc)
        self._prime_links()
        if self.on_stick is not None and not self.report_present:
            self._check_sticks(report=False)  # known before start() returns: only what comes after is new
        self._thread = threading.Thread(target=self._work, name="numeribus-devices", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 10.0) -> bool:
        """Stop the thread and close the sources; True when the thread has ended."""
        self._stopping = True
        thread = self._thread
        if thread is None:
            return True
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")
        if thread is not threading.current_thread():
            thread.join(timeout)
        if thread.is_alive():
            return False
        self._close()
        return True

    def rescan(self) -> None:
        """Look at the mounted sticks again now (from any thread; the thread does it)."""
        self._rescan = True
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"r")

    def __enter__(self) -> DeviceWatcher:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @staticmethod
    def _is_proc(path: Path) -> bool:
        try:
            return Path(os.path.realpath(path)).parts[1:2] == ("proc",)
        except (OSError, ValueError):
            return False

    def _open_udev(self) -> None:
        try:
            import pyudev

            context = pyudev.Context()
            source = self.udev_source
            if source == "auto":
                source = "udev" if os.path.exists("/run/udev/control") else "kernel"
            monitor = pyudev.Monitor.from_netlink(context, source=source)
            if self.on_link_up is not None:
                monitor.filter_by("net")
            if self.on_stick is not None:
                monitor.filter_by("block")
            monitor.start()
        except (ImportError, OSError) as exc:
            log.warning("devices are not watched through udev: %s", exc)
            return
        self._monitor = monitor
        self.sources.append(f"udev:{source}")

    def _close(self) -> None:
        if self._route is not None:
            self._route.close()
            self._route = None
        if self._mounts is not None:
            self._mounts.close()
            self._mounts = None
        self._monitor = None  # libudev closes its socket when the monitor is freed
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._wake_r = self._wake_w = -1

    # --- the thread ----------------------------------------------------------------------------------

    def _work(self) -> None:
        poller = select.poll()
        poller.register(self._wake_r, select.POLLIN)
        if self._monitor is not None:
            poller.register(self._monitor.fileno(), select.POLLIN)
        if self._route is not None:
            poller.register(self._route.fileno(), select.POLLIN)
        if self._mounts is not None:
            poller.register(self._mounts.fileno(), select.POLLPRI)
        if self.on_stick is not None and self.report_present:
            self._check_sticks(report=True)
        while not self._stopping:
            timeout = None
            if self._rechecks:
                timeout = max(0, int((self._rechecks[0] - self.monotonic()) * 1000) + 1)
            try:
                ready = poller.poll(timeout)
            except InterruptedError:  # pragma: no cover - Python retries poll() itself
                continue
            check = False
            for fd, _events in ready:
                if fd == self._wake_r:
                    with contextlib.suppress(OSError):
                        os.read(self._wake_r, 512)
                    if self._rescan:
                        self._rescan, check = False, True
                    continue
                if self._monitor is not None and fd == self._monitor.fileno():
                    check |= self._read_udev()
                elif self._route is not None and fd == self._route.fileno():
                    self._read_route()
                elif self._mounts is not None and fd == self._mounts.fileno():
                    check = True
            now = self.monotonic()
            while self._rechecks and self._rechecks[0] <= now:
                self._rechecks.pop(0)
                check = True
            if check and self.on_stick is not None and not self._stopping:
                self._check_sticks(report=True)

    def _read_udev(self) -> bool:
        """Handle the waiting udev events; True when the sticks must be looked at now."""
        check = False
        while not self._stopping:
            try:
                device = self._monitor.poll(timeout=0)
            except OSError as exc:  # ENOBUFS after a burst: events were lost, look at everything
                log.warning("udev events were lost (%s)", exc)
                return self.on_stick is not None
            if device is None:
                return check
            subsystem, action = device.subsystem, device.action
            if subsystem == "net" and self.on_link_up is not None:
                self._udev_link(device, action)
            elif subsystem == "block" and self.on_stick is not None:
                if action in BLOCK_ACTIONS:
                    now = self.monotonic()
                    self._rechecks = sorted({*self._rechecks, *(now + delay for delay in self.recheck_delays)})
                elif action == "remove":
                    check = True
        return check

    def _udev_link(self, device, action: str | None) -> None:
        name = device.sys_name
        if action == "remove":
            self._links.pop(name, None)
            return
        if action not in NET_ACTIONS:
            return
        attributes = device.attributes
        operstate = attributes.get("operstate") or b"unknown"
        flags = _flags(attributes.get("flags"))
        self._link_state(name, link_is_up(operstate.decode("ascii", "replace"), flags), flags)

    def _read_route(self) -> None:
        while True:
            try:
                data = self._route.recv(65536)
            except BlockingIOError:
                return
            except OSError as exc:  # ENOBUFS: messages were lost; the next ones still come
                log.warning("rtnetlink messages were lost (%s)", exc.strerror or exc)
                return
            for event in parse_rtnetlink(data):
                self._route_event(event)

    def _route_event(self, event: NetlinkEvent) -> None:
        name = event.name or _interface_name(event.index)
        if event.kind == "link" and name:
            self._link_state(name, event.up, event.flags)
        elif event.kind == "link_gone":
            if name:
                self._links.pop(name, None)
            self._addresses = {key for key in self._addresses if key[0] != event.index}
        elif event.kind == "address_gone" and event.address:
            self._addresses.discard((event.index, event.address))
        elif event.kind == "address" and event.address and event.scope == RT_SCOPE_UNIVERSE and name:
            key = (event.index, event.address)
            if key in self._addresses or name in self.ignore_interfaces:
                return
            self._addresses.add(key)
            if not ipaddress.ip_address(event.address.split("%")[0]).is_loopback:
                self._report_link(name, f"new address {event.address}")

    def _link_state(self, name: str, up: bool, flags: int) -> None:
        if name in self.ignore_interfaces or flags & IFF_LOOPBACK:
            return
        was = self._links.get(name, False)
        self._links[name] = up
        if up and not was:
            self._report_link(name, "up")

    def _prime_links(self) -> None:
        """The links' and addresses' state now, so that only what changes after is reported."""
        try:
            names = sorted(os.listdir(self.sys_class_net))
        except OSError:
            names = []
        for name in names:
            try:
                operstate = (self.sys_class_net / name / "operstate").read_text(encoding="ascii")
                flags = _flags((self.sys_class_net / name / "flags").read_text(encoding="ascii"))
            except (OSError, UnicodeDecodeError):
                continue
            self._links[name] = link_is_up(operstate, flags)
        if self._route is not None:
            self._addresses = _current_addresses()

    # --- callbacks -------------------------------------------------------------------------------------

    def _report_link(self, name: str, why: str) -> None:
        log.info("network link %s: %s", name, why)
        self._call(self.on_link_up, name)

    def _check_sticks(self, *, report: bool) -> None:
        present = {
            (target.device, target.path): target
            for target in stick_mounts(
                self.mounts_file, self.sys_class_block, root=self.root, disk_by_label=self.disk_by_label
            )
        }
        for key, target in list(self._sticks.items()):
            if key not in present:
                del self._sticks[key]
                log.info("USB stick %s is no longer mounted at %s", target.label, target.path)
                if self.on_stick_removed is not None:
                    self._call(self.on_stick_removed, target.path)
        for key, target in present.items():
            if key in self._sticks:
                continue
            self._sticks[key] = target
            if report:
                log.info("USB stick %s with a %s/ folder mounted at %s", target.label, STICK_FOLDER, target.path)
                self._call(self.on_stick, target.path)

    @staticmethod
    def _call(callback: Callable[..., object] | None, *args) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:
            log.exception("a device watcher callback failed")
