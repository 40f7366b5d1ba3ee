-- CreateTable
CREATE TABLE "job_schedule" (
    "name" TEXT NOT NULL,
    "last_started_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "job_schedule_pkey" PRIMARY KEY ("name")
);
