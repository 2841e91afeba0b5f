"""Le worker à files par utilisateur, sur une file en mémoire : un travail à la fois par utilisateur, les
utilisateurs en parallèle, une erreur devient l'échec du travail (les autres continuent), baux renouvelés."""

import asyncio
import threading
from dataclasses import dataclass

from apps.core.user_lanes import UserLanesWorker


@dataclass(frozen=True)
class Job:
    pk: int
    user_id: int


class MemoryWorker(UserLanesWorker):
    group = "test_user_lanes"
    lanes = 3
    lease_seconds = 0.05

    def __init__(self, jobs: list[Job], **options):
        super().__init__(**options)
        self.waiting, self.lock = list(jobs), threading.Lock()
        self.active: dict[int, int] = {}  # utilisateur → travaux en cours
        self.most_users, self.done, self.failed, self.renewed = 0, [], [], set()
        self.release = threading.Event()
        self.recovered = False

    def claim(self, busy_users):
        with self.lock:
            job = next((j for j in self.waiting if j.user_id not in busy_users), None)
            if job is not None:
                self.waiting.remove(job)
            return job

    def handle(self, job, stopping):
        with self.lock:
            self.active[job.user_id] = self.active.get(job.user_id, 0) + 1
            assert self.active[job.user_id] == 1, "deux travaux du même utilisateur en même temps"
            self.most_users = max(self.most_users, len([n for n in self.active.values() if n]))
        try:
            if job.pk == 99:
                raise RuntimeError("boum")
            assert self.release.wait(5)
            self.done.append(job.pk)
        finally:
            with self.lock:
                self.active[job.user_id] -= 1

    def fail(self, job, error):
        self.failed.append((job.pk, str(error)))

    def renew(self, job_ids):
        self.renewed |= job_ids

    def recover(self):
        self.recovered = True


def test_one_job_per_user_at_a_time_users_in_parallel_and_a_failure_stays_with_its_job():
    jobs = [Job(1, 10), Job(2, 10), Job(99, 20), Job(3, 20), Job(4, 30)]
    worker = MemoryWorker(jobs)

    async def main():
        drain = asyncio.ensure_future(worker.drain())
        while worker.most_users < 3:  # trois utilisateurs en même temps, chacun un seul travail
            await asyncio.sleep(0.01)
        worker.release.set()
        return await drain

    assert asyncio.run(asyncio.wait_for(main(), 20)) == 5
    assert worker.failed == [(99, "boum")]
    assert sorted(worker.done) == [1, 2, 3, 4] and worker.done.index(1) < worker.done.index(2)
    assert worker.busy_users == set() and worker.running == set()


def test_run_recovers_first_and_renews_the_leases_of_running_jobs():
    worker = MemoryWorker([Job(1, 10)], poll_seconds=0.05)

    async def main():
        stop = asyncio.Event()
        running = asyncio.ensure_future(worker.run(stop))
        while 1 not in worker.renewed:
            await asyncio.sleep(0.01)
        worker.release.set()
        while not worker.done:
            await asyncio.sleep(0.01)
        stop.set()
        await running

    asyncio.run(asyncio.wait_for(main(), 20))
    assert worker.recovered and worker.done == [1]
