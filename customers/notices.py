"""What the desk must know of a car wherever it meets it: an open recall, a car near a
three-guarantee limit. The floors above tell it through two hooks, connected in
``dealer.register_hooks``; the pages and the API ask here without knowing who answers."""

from collections.abc import Iterable
from dataclasses import dataclass

from customers.models import Vehicle
from dealer.hooks import Hook


@dataclass(frozen=True)
class VehicleNotice:
    """One thing to tell the desk of a car: ``kind`` names what it is (``campaign``,
    ``sanbao``), ``level`` how loud (``danger``, ``warning``), ``text`` what to say;
    ``campaign_id`` lets an order's page add the campaign's job in one click."""

    kind: str
    level: str
    text: str
    campaign_id: int | None = None


vehicle_notices = Hook(
    "vehicle_notices",
    "Receivers take a site's id and vehicles and return {vehicle id: [VehicleNotice]}, "
    "in one query for the lot (a page of search results asks once).",
)
vehicle_facts = Hook(
    "vehicle_facts",
    "Receivers take a vehicle and return fields added to its record in the API.",
)


def notices_for(site_id: int, vehicles: Iterable[Vehicle]) -> dict[int, list[VehicleNotice]]:
    """Every notice for each of ``vehicles``, by vehicle id (a car with none is left out)."""
    vehicles = [v for v in vehicles if v is not None]
    found: dict[int, list[VehicleNotice]] = {}
    if not vehicles:
        return found
    for receiver in vehicle_notices:
        for vehicle_id, notices in receiver(site_id, vehicles).items():
            found.setdefault(vehicle_id, []).extend(notices)
    return found


def notices_of(vehicle: Vehicle | None) -> list[VehicleNotice]:
    """The notices for one car."""
    if vehicle is None:
        return []
    return notices_for(vehicle.site_id, [vehicle]).get(vehicle.id, [])


def facts_of(vehicle: Vehicle) -> dict:
    """The fields the floors above add to a vehicle's API record."""
    facts: dict = {}
    for receiver in vehicle_facts:
        facts.update(receiver(vehicle))
    return facts
